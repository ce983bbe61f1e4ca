package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each kind of process runs its own bundles (conf/weft-scheduler.bndrun, conf/weft-worker.bndrun,
 * conf/weft-nanny.bndrun): a scheduler process no worker code (no worker bundle, no local cluster);
 * a worker process no scheduler, dashboard or HTTP server, and a nanny only its lean set, as each
 * process's console ({@code lb -s}) and, for the worker under a nanny (which has no console), its
 * framework's bundle cache say. The worker still runs tasks.
 */
class ProcessBundlesIT {

    private static final Duration RUN = Duration.ofMinutes(3);
    /** An {@code lb -s} row: {@code 7|Active | 2|slf4j.api (2.0.17)|2.0.17}. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\s*\\d+\\|(\\w+)\\s*\\|\\s*\\d+\\|([^ |]+) \\(");
    private static final List<String> NOT_IN_A_WORKER = List.of("org.weft.scheduler.core", "org.weft.dashboard",
            "org.apache.felix.http.jetty", "org.weft.nanny");

    @RegisterExtension
    static final WeftProcess.Group processes = new WeftProcess.Group();

    @Test
    void aSchedulerRunsNoWorkerBundleAWorkerNoSchedulerBundleAndItsNannyOnlyItsLeanSet() throws Exception {
        WeftProcess schedulerProcess = processes.startWithInput("scheduler", "scheduler", "--port", "0");
        String scheduler = schedulerProcess.awaitLine(".*scheduler at (tcp://127\\.0\\.0\\.1:\\d+)", RUN).group(1);
        Set<String> schedulerBundles = listBundles(schedulerProcess, "org.weft.scheduler.core");
        assertTrue(schedulerBundles.containsAll(List.of("org.weft.scheduler.core", "org.weft.node", "org.weft.dashboard")),
                "a scheduler runs the scheduler and the dashboard: " + schedulerBundles);
        for (String absent : List.of("org.weft.worker", "org.weft.local", "org.weft.nanny")) {
            assertFalse(schedulerBundles.contains(absent), absent + " in the scheduler: " + schedulerBundles);
        }
        Set<String> schedulerRuntime = new TreeSet<>(schedulerBundles);
        schedulerRuntime.removeAll(pluginsFolder());
        Set<String> schedulerSet = runBundles("weft-scheduler.bndrun");
        schedulerSet.removeAll(pluginsFolder());
        assertEquals(withSystemBundle(schedulerSet), schedulerRuntime, "the scheduler runs its set");

        // the nanny has the console; its worker process has none
        WeftProcess nanny = processes.startWithInput("w1", "worker", scheduler, "--name", "w1");
        nanny.awaitLine(".*worker w1 at tcp://127\\.0\\.0\\.1:\\d+ joined " + Pattern.quote(scheduler), RUN);
        long worker = Long.parseLong(nanny.awaitLine(".*nanny started worker process (\\d+).*", RUN).group(1));
        Set<String> nannyBundles = listBundles(nanny, "org.weft.nanny");
        nannyBundles.removeAll(pluginsFolder()); // a nanny takes plugins/ (nanny plugins come from there)
        Set<String> lean = runBundles("weft-nanny.bndrun");
        assertEquals(withSystemBundle(lean), nannyBundles, "the nanny runs its lean set");
        for (String absent : List.of("org.weft.scheduler.core", "org.weft.worker", "org.weft.dashboard",
                "org.apache.felix.http.jetty")) {
            assertFalse(nannyBundles.contains(absent), absent + " in the nanny: " + nannyBundles);
        }

        Path workerCache = workerCache(worker);
        assertTrue(workerCache.startsWith(processes.weft().home().resolve("data/caches")), workerCache.toString());
        Set<String> workerLocations = cachedLocations(workerCache);
        assertEquals(runBundles("weft-worker.bndrun").size(), workerLocations.size(),
                "the worker under the nanny installed its set: " + workerLocations);
        assertTrue(workerLocations.stream().anyMatch(l -> l.contains("/weft-worker-")), workerLocations.toString());
        for (String absent : List.of("/weft-scheduler-core-", "/weft-dashboard-", "/org.apache.felix.http.jetty-", "/weft-nanny-")) {
            assertTrue(workerLocations.stream().noneMatch(l -> l.contains(absent)), absent + " in the worker: " + workerLocations);
        }
        // without a console (its nanny has it) the worker installs the shell but does not start it
        Set<String> marked = markedToStart(workerCache);
        assertTrue(marked.stream().anyMatch(l -> l.contains("/weft-worker-")), "the worker bundle starts: " + marked);
        for (String shell : List.of("/org.apache.felix.gogo.runtime-", "/org.apache.felix.gogo.command-",
                "/org.apache.felix.gogo.jline-")) {
            assertTrue(workerLocations.stream().anyMatch(l -> l.contains(shell)), shell + " installed: " + workerLocations);
            assertTrue(marked.stream().noneMatch(l -> l.contains(shell)), shell + " started without a console: " + marked);
        }

        // a worker without a nanny has the console itself
        WeftProcess alone = processes.startWithInput("w2", "worker", scheduler, "--name", "w2", "--no-nanny");
        alone.awaitLine(".*worker w2 at tcp://127\\.0\\.0\\.1:\\d+ joined " + Pattern.quote(scheduler), RUN);
        Set<String> aloneBundles = listBundles(alone, "org.weft.worker");
        assertEquals(withSystemBundle(runBundles("weft-worker.bndrun")), aloneBundles, "the worker runs its set, all active");
        for (String absent : NOT_IN_A_WORKER) {
            assertFalse(aloneBundles.contains(absent), absent + " in the worker: " + aloneBundles);
        }

        assertEquals("2", processes.submitInc(scheduler), "the workers run tasks");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Types {@code lb -s} on the process's console; @return the symbolic names listed, each of
     * bundle/'s checked Active (the bundles of plugins/ are a scheduler's plugins, not all of which
     * resolve in a nanny).
     */
    private static Set<String> listBundles(WeftProcess process, String expected) throws Exception {
        int before = process.stdout().length();
        process.type("lb -s\n");
        process.awaitLine(".*\\|" + Pattern.quote(expected) + " \\(.*", RUN);
        process.awaitLine(".*\\|org\\.apache\\.felix\\.gogo\\.runtime \\(.*", RUN); // lb lists by id: Gogo comes last
        String listed = process.stdout().substring(before);
        Set<String> names = new TreeSet<>();
        Matcher row = ROW.matcher(listed);
        Set<String> plugins = pluginsFolder();
        while (row.find()) {
            if (!plugins.contains(row.group(2))) {
                assertEquals("active", row.group(1).toLowerCase(java.util.Locale.ROOT), row.group() + " in " + process.describe());
            }
            names.add(row.group(2));
        }
        return names;
    }

    /** The symbolic names of a shipped bndrun's -runbundles (one per line, as the resolver writes them). */
    private static Set<String> runBundles(String bndrun) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher line = Pattern.compile("(?m)^\\s+([\\w.-]+);version=").matcher(
                Files.readString(processes.weft().home().resolve("conf/" + bndrun)));
        while (line.find()) {
            names.add(line.group(1));
        }
        assertFalse(names.isEmpty(), bndrun);
        return names;
    }

    /** The symbolic names of the jars shipped in plugins/. */
    private static Set<String> pluginsFolder() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> jars = Files.list(processes.weft().home().resolve("plugins"))) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
                    names.add(file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim());
                }
            }
        }
        return names;
    }

    private static Set<String> withSystemBundle(Set<String> names) {
        Set<String> out = new TreeSet<>(names);
        out.add("org.apache.felix.framework");
        return out;
    }

    /**
     * The locations of the bundles the framework's cache marks to be started (bundle.info's third
     * line, the persistent state, is 32, ACTIVE; 2, INSTALLED, for one never started or stopped).
     */
    /** A worker process's bundle cache: the slot of data/caches/ its log says it started with. */
    private static Path workerCache(long pid) throws IOException {
        String log = Files.readString(processes.weft().home().resolve("data/worker-" + pid + "/log/weft.log"));
        Matcher storage = Pattern.compile("org\\.osgi\\.framework\\.storage=([^,}]+)").matcher(log);
        assertTrue(storage.find(), "the worker's log names its cache");
        return Path.of(storage.group(1));
    }

    private static Set<String> markedToStart(Path cache) throws IOException {
        Set<String> locations = new TreeSet<>();
        try (Stream<Path> bundles = Files.list(cache)) {
            for (Path info : bundles.map(b -> b.resolve("bundle.info")).filter(Files::isRegularFile).toList()) {
                List<String> lines = Files.readAllLines(info);
                if (!lines.get(0).trim().equals("0") && lines.get(2).trim().equals(String.valueOf(org.osgi.framework.Bundle.ACTIVE))) {
                    locations.add(lines.get(1).trim());
                }
            }
        }
        return locations;
    }

    /** Where the framework's cache says each bundle came from (bundleN/bundle.info: id, location, ...), but the system bundle. */
    private static Set<String> cachedLocations(Path cache) throws IOException {
        Set<String> locations = new TreeSet<>();
        try (Stream<Path> bundles = Files.list(cache)) {
            for (Path info : bundles.map(b -> b.resolve("bundle.info")).filter(Files::isRegularFile).toList()) {
                List<String> lines = Files.readAllLines(info);
                if (!lines.get(0).trim().equals("0")) {
                    locations.add(lines.get(1).trim());
                }
            }
        }
        return locations;
    }
}
