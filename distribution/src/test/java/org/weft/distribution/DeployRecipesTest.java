package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.weft.launcher.Main;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import picocli.CommandLine;

/**
 * The recipes of {@code deploy/} (systemd units, container image, Kubernetes manifests, SLURM batch
 * script): they are there, and every {@code bin/weft} command line in them is one the launcher
 * accepts, parsed by its own command line ({@link Main}) with sample values for what the recipe
 * leaves to the environment; the manifests have the shape the README promises. The tools that
 * check them further (systemd-analyze, kubectl, SLURM) run in {@code DeployRecipesIT}.
 */
class DeployRecipesTest {

    static final List<String> FILES = List.of("README.md", "systemd/weft-scheduler.service", "systemd/weft-worker@.service",
            "systemd/weft.env", "container/Dockerfile", "kubernetes/namespace.yaml", "kubernetes/scheduler.yaml",
            "kubernetes/worker.yaml", "kubernetes/kustomization.yaml", "slurm/weft.sbatch");

    private static final List<String> SECURITY = List.of("--token-file", "/home/u/token", "--tls-ca", "/home/u/tls/ca.pem",
            "--tls-cert", "/home/u/tls/node.pem", "--tls-key", "/home/u/tls/node-key.pem");

    @Test
    void everyRecipeIsThere() {
        for (String file : FILES) {
            assertTrue(Files.isRegularFile(DeployRecipes.dir().resolve(file)), "deploy/" + file);
        }
        assertTrue(Files.isExecutable(DeployRecipes.dir().resolve("slurm/weft.sbatch")), "the batch script is executable");
    }

    @Test
    void theSystemdUnitsRunSchedulerAndWorkerWithOptionsTheLauncherAccepts() {
        Map<String, String> env = DeployRecipes.environmentFile(DeployRecipes.read("systemd/weft.env"));
        Map<String, String> specifiers = Map.of("%H", "node7", "%i", "1");
        List<DeployRecipes.Invocation> scheduler = DeployRecipes.fromUnit("weft-scheduler.service",
                DeployRecipes.read("systemd/weft-scheduler.service"), specifiers, env);
        List<DeployRecipes.Invocation> worker = DeployRecipes.fromUnit("weft-worker@.service",
                DeployRecipes.read("systemd/weft-worker@.service"), specifiers, env);
        assertEquals(List.of("scheduler"), scheduler.stream().map(DeployRecipes.Invocation::role).toList());
        assertEquals(List.of("worker"), worker.stream().map(DeployRecipes.Invocation::role).toList());
        parse(scheduler.get(0));
        parse(worker.get(0));
        assertTrue(worker.get(0).args().containsAll(List.of("--name", "node7-1")), "named by host and instance: " + worker.get(0));
        for (DeployRecipes.Invocation i : List.of(scheduler.get(0), worker.get(0))) {
            assertTrue(i.args().containsAll(List.of("--token-file", "--tls-cert", "--tls-key", "--tls-ca", "--no-console")),
                    "token, TLS and no console: " + i);
        }
        for (String unit : List.of("systemd/weft-scheduler.service", "systemd/weft-worker@.service")) {
            assertTrue(DeployRecipes.read(unit).contains("EnvironmentFile=/opt/weft/etc/weft.env"), unit + " reads etc/weft.env");
        }
        assertTrue(env.containsKey("JAVA_OPTS"), "the JVM's options are set there too");
    }

    @Test
    void theImageRunsBinWeftWithTheRoleAsItsCommand() {
        String dockerfile = DeployRecipes.read("container/Dockerfile");
        assertEquals(List.of("/opt/weft/bin/weft"), jsonArray(dockerfile, "ENTRYPOINT"));
        List<String> cmd = jsonArray(dockerfile, "CMD");
        assertEquals("scheduler", cmd.get(0), "the default role");
        parse(new DeployRecipes.Invocation("Dockerfile CMD", cmd));
        assertTrue(dockerfile.lines().anyMatch(l -> l.matches("EXPOSE 8786 8787")), "the scheduler's and the dashboard's ports");
        assertTrue(dockerfile.lines().anyMatch(l -> l.matches("USER weft")), "not root");
    }

    @Test
    void theKubernetesManifestsAreASchedulerWithItsServiceAndWorkersWithTokenAndTlsFromSecrets() {
        Map<String, Map<String, Object>> byKindAndName = new LinkedHashMap<>();
        for (String file : List.of("namespace.yaml", "scheduler.yaml", "worker.yaml")) {
            for (Object doc : new Yaml(new LoaderOptions()).loadAll(DeployRecipes.read("kubernetes/" + file))) {
                Map<String, Object> object = map(doc, file);
                Map<String, Object> metadata = map(object.get("metadata"), file + " metadata");
                byKindAndName.put(object.get("kind") + "/" + metadata.get("name"), object);
                if (!"Namespace".equals(object.get("kind"))) {
                    assertEquals("weft", metadata.get("namespace"), file + ": everything in the namespace the certificate names");
                }
            }
        }
        assertEquals(List.of("Namespace/weft", "Deployment/weft-scheduler", "Service/weft-scheduler", "Deployment/weft-worker"),
                new ArrayList<>(byKindAndName.keySet()));
        assertEquals(List.of("namespace.yaml", "scheduler.yaml", "worker.yaml"),
                map(new Yaml().load(DeployRecipes.read("kubernetes/kustomization.yaml")), "kustomization").get("resources"));

        Map<String, Object> service = byKindAndName.get("Service/weft-scheduler");
        List<Object> ports = list(map(service.get("spec"), "service spec").get("ports"), "service ports");
        assertEquals(List.of(8786, 8787), ports.stream().map(p -> map(p, "port").get("port")).toList());

        Map<String, Object> schedulerPod = podSpec(byKindAndName.get("Deployment/weft-scheduler"));
        Map<String, Object> scheduler = map(list(schedulerPod.get("containers"), "containers").get(0), "scheduler container");
        List<String> schedulerArgs = strings(scheduler.get("args"));
        parse(new DeployRecipes.Invocation("scheduler.yaml args", schedulerArgs));
        assertEquals(List.of(8786, 8787), list(scheduler.get("ports"), "ports").stream().map(p -> map(p, "port").get("containerPort")).toList());
        assertSecretsMounted(schedulerPod, scheduler, schedulerArgs);

        Map<String, Object> workerPod = podSpec(byKindAndName.get("Deployment/weft-worker"));
        Map<String, Object> worker = map(list(workerPod.get("containers"), "containers").get(0), "worker container");
        assertEquals(List.of("/bin/sh", "-c"), strings(worker.get("command")));
        List<DeployRecipes.Invocation> workers = DeployRecipes.fromShell("worker.yaml args", strings(worker.get("args")).get(0), Map.of(
                "$POD_NAME", List.of("weft-worker-7d9f-x2"),
                "$(echo \"$POD_IP\" | tr . -)", List.of("10-244-1-5"),
                "$POD_NAMESPACE", List.of("weft")));
        assertEquals(1, workers.size(), workers.toString());
        parse(workers.get(0));
        assertEquals("tcp://weft-scheduler:8786", workers.get(0).args().get(1), "the Service's name, which the certificate names");
        assertTrue(workers.get(0).args().contains("10-244-1-5.weft.pod.cluster.local"), "the pod's DNS name: " + workers.get(0));
        assertSecretsMounted(workerPod, worker, workers.get(0).args());
    }

    @Test
    void theSlurmScriptRunsTheSchedulerWorkersAndSubmitWithOptionsTheLauncherAccepts() {
        List<DeployRecipes.Invocation> found = DeployRecipes.fromShell("weft.sbatch", DeployRecipes.read("slurm/weft.sbatch"), Map.of(
                "$host", List.of("node1"),
                "$(hostname)", List.of("node1"),
                "${security[@]}", SECURITY,
                "$@", SECURITY,
                "$WEFT_SCHEDULER", List.of("tcp://node1:40123"),
                "$address", List.of("tcp://node1:40123"),
                "$SLURM_PROCID", List.of("0"),
                "${SLURM_CPUS_PER_TASK:-1}", List.of("4"),
                "$1", List.of("graph.json")));
        assertEquals(List.of("scheduler", "worker", "submit"), found.stream().map(DeployRecipes.Invocation::role).toList());
        found.forEach(DeployRecipesTest::parse);
        assertTrue(found.get(1).args().containsAll(List.of("--host", "node1", "--name", "node1-0", "--nthreads", "4")), found.get(1).toString());
        assertTrue(found.get(1).args().containsAll(SECURITY), "the workers get the token and TLS too: " + found.get(1));
        assertTrue(DeployRecipes.read("slurm/weft.sbatch").lines().anyMatch(l -> l.startsWith("#SBATCH --nodes=")), "a batch script");
    }

    /** The extraction itself: quoting, splitting and where a command ends. */
    @Test
    void commandLinesAreSplitAsTheShellSplitsThem() {
        Map<String, List<String>> samples = Map.of("$A", List.of("one two"), "$@", List.of("x", "y z"), "$(f \"$B\")", List.of("v"));
        assertEquals(List.of("worker", "one two", "a-v.b", "x", "y z", "it's"),
                DeployRecipes.words("worker \"$A\" a-$(f \"$B\").b \"$@\" it\\'s > out 2> err", samples::get));
        assertEquals(List.of("scheduler", "--port", "0"), DeployRecipes.words("scheduler --port 0 2> err &", samples::get));
        List<DeployRecipes.Invocation> found = DeployRecipes.fromShell("t", "# bin/weft worker --bogus\n"
                + "bash -c 'exec \"$0\" worker $A \\\n    --nthreads 2' \"$weft\" &\n", samples);
        assertEquals(1, found.size(), "the comment is no command: " + found);
        assertEquals(List.of("worker", "one two", "--nthreads", "2"), found.get(0).args(), "$A unquoted is split");
        AssertionError unknown = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> DeployRecipes.fromShell("t", "bin/weft worker $UNKNOWN", samples));
        assertTrue(unknown.getMessage().contains("no sample value for $UNKNOWN"), unknown.getMessage());
    }

    /** The check has teeth: an option the launcher does not know fails it. */
    @Test
    void anUnknownOptionIsCaught() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> parse(new DeployRecipes.Invocation("t", List.of("worker", "tcp://h:1", "--no-such-option"))));
        assertTrue(e.getMessage().contains("--no-such-option"), e.getMessage());
    }

    /** Parses the command line with the launcher's own, as bin/weft would before it starts anything. */
    static void parse(DeployRecipes.Invocation invocation) {
        assertFalse(invocation.args().isEmpty(), invocation.where());
        try {
            CommandLine.ParseResult result = new CommandLine(new Main()).parseArgs(invocation.args().toArray(String[]::new));
            assertTrue(result.hasSubcommand(), invocation + ": names a command");
            assertEquals(invocation.role(), result.subcommand().commandSpec().name(), invocation.toString());
            // options a command does not know go to its preloads; with none, bin/weft refuses them
            List<String> unknown = result.subcommand().unmatched();
            if (!unknown.isEmpty() && !result.subcommand().hasMatchedOption("--preload")) {
                fail(invocation + ": the launcher refuses it: unknown " + unknown);
            }
        } catch (CommandLine.ParameterException e) {
            fail(invocation + ": the launcher refuses it: " + e.getMessage());
        }
    }

    /** The Secrets weft-token and weft-tls are volumes of the pod, mounted where the command line reads them. */
    private static void assertSecretsMounted(Map<String, Object> pod, Map<String, Object> container, List<String> args) {
        Map<String, String> secretOfVolume = new LinkedHashMap<>();
        for (Object v : list(pod.get("volumes"), "volumes")) {
            Map<String, Object> volume = map(v, "volume");
            secretOfVolume.put((String) volume.get("name"), (String) map(volume.get("secret"), "secret volume").get("secretName"));
        }
        Map<String, String> mountOfSecret = new LinkedHashMap<>();
        for (Object m : list(container.get("volumeMounts"), "volumeMounts")) {
            Map<String, Object> mount = map(m, "mount");
            mountOfSecret.put(secretOfVolume.get((String) mount.get("name")), (String) mount.get("mountPath"));
        }
        String token = mountOfSecret.get("weft-token");
        String tls = mountOfSecret.get("weft-tls");
        assertTrue(token != null && tls != null, "both Secrets mounted: " + mountOfSecret);
        assertEquals(token + "/token", valueOf(args, "--token-file"));
        assertEquals(tls + "/tls.crt", valueOf(args, "--tls-cert"));
        assertEquals(tls + "/tls.key", valueOf(args, "--tls-key"));
        assertEquals(tls + "/ca.crt", valueOf(args, "--tls-ca"));
    }

    private static String valueOf(List<String> args, String option) {
        int i = args.indexOf(option);
        assertTrue(i >= 0 && i + 1 < args.size(), option + " in " + args);
        return args.get(i + 1);
    }

    private static Map<String, Object> podSpec(Map<String, Object> deployment) {
        Map<String, Object> spec = map(deployment.get("spec"), "deployment spec");
        return map(map(spec.get("template"), "template").get("spec"), "pod spec");
    }

    /** The JSON array after {@code instruction} in a Dockerfile (exec form). */
    private static List<String> jsonArray(String dockerfile, String instruction) {
        Matcher m = Pattern.compile("(?m)^" + instruction + " (\\[.*\\])$").matcher(dockerfile);
        assertTrue(m.find(), instruction + " in exec form");
        return strings(new Yaml().load(m.group(1)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        assertTrue(o instanceof Map, what + " is a mapping: " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, String what) {
        assertTrue(o instanceof List, what + " is a list: " + o);
        return (List<Object>) o;
    }

    private static List<String> strings(Object o) {
        return list(o, "a list of strings").stream().map(String::valueOf).toList();
    }
}
