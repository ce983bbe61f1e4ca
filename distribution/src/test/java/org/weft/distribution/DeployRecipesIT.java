package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes of {@code deploy/} checked by the tools they are written for, where this machine has
 * them (each check is skipped, saying why, where not): the systemd units by
 * {@code systemd-analyze verify} against the unpacked distribution, the Kubernetes manifests
 * rendered by {@code kubectl kustomize}, and the SLURM batch script run as a job on a single-node
 * SLURM cluster this test starts (its own configuration, ports and state), running a graph.
 */
class DeployRecipesIT {

    private static WeftInstall weft;

    @BeforeAll
    static void unpack(@TempDir Path dir) throws Exception {
        weft = WeftInstall.unpack(dir);
    }

    @Test
    void theSystemdUnitsVerify(@TempDir Path units) throws Exception {
        requireTool("systemd-analyze", "systemd-analyze (Debian's systemd) is not installed");
        String home = weft.home().toString();
        for (String unit : List.of("weft-scheduler.service", "weft-worker@.service")) {
            Files.writeString(units.resolve(unit), DeployRecipes.read("systemd/" + unit).replace("/opt/weft", home));
        }
        Ran r = run(units, 120, "systemd-analyze", "verify", units.resolve("weft-scheduler.service").toString(),
                units.resolve("weft-worker@1.service").toString());
        assertEquals(0, r.status(), r.output());
        assertEquals("", r.output().strip(), "no warning either");
    }

    /** The check above has teeth: systemd-analyze reports a unit whose program is missing or setting is wrong. */
    @Test
    void systemdAnalyzeReportsABrokenUnit(@TempDir Path units) throws Exception {
        requireTool("systemd-analyze", "systemd-analyze (Debian's systemd) is not installed");
        Files.writeString(units.resolve("weft-broken.service"), DeployRecipes.read("systemd/weft-scheduler.service")
                .replace("/opt/weft/bin/weft", "/nonexistent/bin/weft").replace("Restart=on-failure", "Restart=sometimes"));
        Ran r = run(units, 120, "systemd-analyze", "verify", units.resolve("weft-broken.service").toString());
        assertTrue(r.output().contains("/nonexistent/bin/weft") && r.output().contains("sometimes"), r.output());
    }

    @Test
    void theKubernetesManifestsRender(@TempDir Path out) throws Exception {
        requireTool("kubectl", "kubectl is not installed");
        Ran r = run(out, 120, "kubectl", "kustomize", DeployRecipes.dir().resolve("kubernetes").toString());
        assertEquals(0, r.status(), r.output());
        for (String object : List.of("kind: Namespace", "kind: Service", "kind: Deployment", "name: weft-scheduler", "name: weft-worker",
                "secretName: weft-token", "secretName: weft-tls", "port: 8786", "port: 8787")) {
            assertTrue(r.output().contains(object), object + " in:\n" + r.output());
        }
    }

    @Test
    void theSlurmBatchScriptRunsAGraphOnASingleNodeCluster(@TempDir Path dir) throws Exception {
        requireTool("slurmctld", "SLURM is not installed (Debian's slurm-wlm: slurmctld, slurmd, sbatch)");
        requireTool("slurmd", "SLURM's slurmd is not installed");
        requireTool("sbatch", "SLURM's sbatch is not installed");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "slurmd starts jobs only as root");
        try (SingleNodeSlurm slurm = SingleNodeSlurm.start(dir.resolve("slurm"))) {
            Path job = Files.createDirectories(dir.resolve("job"));
            Path graph = Files.writeString(job.resolve("graph.json"), """
                    {"tasks": {"a": {"fn": "inc", "args": [1]}, "b": {"fn": "add", "args": [{"ref": "a"}, 40]}}, "keys": ["b"]}
                    """);
            Ran r = slurm.run(job, 300, Map.of("WEFT_HOME", weft.home().toString(), "JAVA_HOME", System.getProperty("java.home")),
                    "sbatch", "--wait", "--nodes=1", "--cpus-per-task=2", "--output=" + job.resolve("out.txt"),
                    DeployRecipes.dir().resolve("slurm/weft.sbatch").toString(), graph.toString());
            String output = WeftInstall.read(job.resolve("out.txt"));
            assertEquals(0, r.status(), r.output() + "\njob output:\n" + output + "\n" + slurm.describe());
            assertTrue(output.contains("b = 42"), "the graph's result in the job's output:\n" + output);
            Path schedulerFile = Files.list(job).filter(p -> p.getFileName().toString().startsWith("weft-"))
                    .map(p -> p.resolve("scheduler")).findFirst().orElseThrow();
            assertTrue(WeftInstall.read(schedulerFile).strip().matches("tcp://\\S+:\\d+"), "the scheduler file: " + WeftInstall.read(schedulerFile));
        }
    }

    /**
     * A SLURM cluster of this machine alone: slurmctld and slurmd started by the test with their own
     * configuration (no authentication: it is reachable on loopback only), free ports and a state
     * folder of their own; stopped (SIGTERM) on close.
     */
    private record SingleNodeSlurm(Path dir, Path conf, List<Process> daemons) implements AutoCloseable {

        static SingleNodeSlurm start(Path dir) throws Exception {
            Files.createDirectories(dir.resolve("state"));
            Files.createDirectories(dir.resolve("spool"));
            Path conf = dir.resolve("slurm.conf");
            String host = new String(new ProcessBuilder("hostname", "-s").start().getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).strip();
            Files.writeString(conf, String.join("\n",
                    "ClusterName=weftit",
                    "SlurmctldHost=localhost(127.0.0.1)",
                    "SlurmctldPort=" + freePort(),
                    "SlurmdPort=" + freePort(),
                    "AuthType=auth/none",
                    "CredType=cred/none",
                    "SlurmUser=root",
                    "SlurmdUser=root",
                    "StateSaveLocation=" + dir.resolve("state"),
                    "SlurmdSpoolDir=" + dir.resolve("spool"),
                    "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                    "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                    "SlurmctldLogFile=" + dir.resolve("slurmctld.log"),
                    "SlurmdLogFile=" + dir.resolve("slurmd.log"),
                    "ProctrackType=proctrack/pgid",
                    "TaskPlugin=task/none",
                    "JobAcctGatherType=jobacct_gather/none",
                    "AccountingStorageType=accounting_storage/none",
                    "MpiDefault=none",
                    "SelectType=select/cons_tres",
                    "SelectTypeParameters=CR_Core",
                    "ReturnToService=2",
                    "NodeName=node1 NodeHostname=" + host + " NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN",
                    "PartitionName=debug Nodes=node1 Default=YES MaxTime=INFINITE State=UP", ""));
            SingleNodeSlurm slurm = new SingleNodeSlurm(dir, conf, new ArrayList<>());
            try {
                slurm.daemon("slurmctld", "slurmctld", "-D", "-f", conf.toString());
                slurm.daemon("slurmd", "slurmd", "-D", "-f", conf.toString(), "-N", "node1");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (true) {
                    Ran sinfo = slurm.run(dir, 30, Map.of(), "sinfo", "-h", "-N", "-o", "%t");
                    if (sinfo.status() == 0 && sinfo.output().strip().equals("idle")) {
                        return slurm;
                    }
                    assertTrue(System.nanoTime() < deadline, "the node is not idle within 60 s: " + sinfo.output() + "\n" + slurm.describe());
                    Thread.sleep(200);
                }
            } catch (Exception | Error e) {
                slurm.close();
                throw e;
            }
        }

        private void daemon(String name, String... command) throws IOException {
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile());
            b.environment().put("SLURM_CONF", conf.toString());
            daemons.add(b.start());
        }

        Ran run(Path cwd, long seconds, Map<String, String> env, String... command) throws Exception {
            return DeployRecipesIT.run(cwd, seconds, env(env), command);
        }

        private Map<String, String> env(Map<String, String> extra) {
            Map<String, String> all = new java.util.HashMap<>(extra);
            all.put("SLURM_CONF", conf.toString());
            return all;
        }

        String describe() {
            StringBuilder s = new StringBuilder();
            for (String log : List.of("slurmctld.log", "slurmd.log", "slurmctld.out", "slurmd.out")) {
                s.append("--- ").append(log).append(":\n").append(WeftInstall.read(dir.resolve(log))).append('\n');
            }
            return s.toString();
        }

        @Override
        public void close() throws InterruptedException {
            for (Process p : daemons) { // slurmctld, then slurmd
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }

    private record Ran(int status, String output) {
    }

    private static Ran run(Path cwd, long seconds, String... command) throws Exception {
        return run(cwd, seconds, Map.of(), command);
    }

    private static Ran run(Path cwd, long seconds, Map<String, String> env, String... command) throws Exception {
        Path out = Files.createTempFile(cwd, "run-", ".txt");
        ProcessBuilder b = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        b.environment().putAll(env);
        Process p = b.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + seconds + " s:\n" + WeftInstall.read(out));
        }
        return new Ran(p.exitValue(), WeftInstall.read(out));
    }

    /** Skips the test, saying why, unless {@code tool} is on the PATH. */
    private static void requireTool(String tool, String why) {
        boolean found = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
        Assumptions.assumeTrue(found, why + ": this check is skipped");
    }
}
