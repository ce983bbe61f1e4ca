package org.weft.plugins.resourcemonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.client.Client;
import org.weft.client.TaskOptions;
import org.weft.client.WeftFuture;
import org.weft.comm.netty.TransportConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.scheduler.core.remote.SchedulerServer;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.process.WorkerProcess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A profile of a scheduler and its worker processes over real TCP on loopback, driven as a user
 * does through the client's {@code runOnScheduler("weft-profile", ...)}: each worker process
 * records on its own {@link Profiler} (as its own runtime's resource monitor does), the scheduler's
 * gathers them through {@code WorkerProcesses}, and the trace and report hold a track per worker
 * process with its tasks and its own samples.
 */
class WorkerProcessesProfileTest {

    @TempDir
    Path dir;

    private LocalCluster cluster;
    private SchedulerServer server;
    private ProfileService scheduler;
    private final List<WorkerProcess> workers = new CopyOnWriteArrayList<>();
    private final List<ProfileService> workerProfiles = new CopyOnWriteArrayList<>();
    private Client client;

    @BeforeEach
    void start() {
        TaskFunctionRegistry functions = TaskFunctionRegistry.withBuiltins();
        cluster = LocalCluster.start(LocalClusterConfig.of(0), functions);
        server = SchedulerServer.start(cluster.service(), new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()));
        scheduler = new ProfileService(new Profiler(ProfileSettings.DEFAULTS.withIntervalMillis(20),
                new LocalClusterInstaller(cluster)));
        scheduler.workerProcesses(server::runOnEach);
        functions.register(ProfileFunction.NAME, (args, context) -> scheduler.function(args));
        client = cluster.client();
    }

    @AfterEach
    void stop() {
        client.close();
        workers.forEach(WorkerProcess::close);
        workerProfiles.forEach(ProfileService::close);
        scheduler.close();
        server.close();
        cluster.close();
    }

    /** A worker process with its own profiler, reachable as its runtime's {@code weft-profile} function. */
    private WorkerProcess worker(String name) {
        TaskFunctionRegistry functions = TaskFunctionRegistry.withBuiltins();
        WorkerProcessInstaller installer = new WorkerProcessInstaller();
        ProfileService profile = new ProfileService(new Profiler(ProfileSettings.DEFAULTS.withIntervalMillis(20), installer));
        functions.register(ProfileFunction.NAME, (args, context) -> profile.function(args));
        WorkerProcess w = WorkerProcess.start(new WorkerProcess.Config(server.address(), name, 2, Map.of(), "127.0.0.1",
                TransportConfig.defaults(), 20_000, 200, PluginHostConfig.DEFAULTS, true), functions);
        installer.worker = w;
        workers.add(w);
        workerProfiles.add(profile);
        return w;
    }

    private String profile(Object... args) {
        return String.valueOf(client.runOnScheduler(ProfileFunction.NAME, args));
    }

    @Test
    void theTraceAndReportHoldEveryWorkerProcessWithItsTasksAndItsOwnSamples() throws Exception {
        WorkerProcess one = worker("one");
        WorkerProcess two = worker("two");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cluster.scheduler().query(s -> s.workers().size())
                .get() == 2);

        String started = profile("start");
        assertTrue(started.contains("profiling started"), started);
        assertTrue(started.contains("worker " + one.address() + ": profiling started")
                && started.contains("worker " + two.address() + ": profiling started"), started);
        List<WeftFuture> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            WorkerProcess on = i % 2 == 0 ? one : two;
            tasks.add(client.submit(TaskOptions.key("inc-" + i).withWorkers(on.address()), "inc", i));
        }
        client.gather(tasks);
        // every worker process has sampled itself a few times
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> workerProfiles.stream()
                .allMatch(p -> p.profiler().snapshot().sampleCount() >= 3));
        WorkerProcess late = worker("late"); // joined after the start: it has nothing to give
        String stopped = profile("stop");
        assertTrue(stopped.contains("worker " + two.address() + ": profiling stopped"), stopped);
        assertTrue(stopped.contains("worker " + late.address() + ": profiling was not recording"), stopped);
        String status = profile("status");
        assertTrue(status.contains("worker " + one.address() + ": trace: 10 task phases on 1 worker(s)"), status);

        Path tracePath = dir.resolve("cluster-trace.json");
        String traced = profile("trace", tracePath.toString());
        assertTrue(traced.contains("trace written to " + tracePath + " (this process and 2 of 3 worker process(es))"),
                traced);
        assertTrue(traced.contains("worker " + late.address() + ": nothing recorded"), traced);

        JsonNode trace = new ObjectMapper().readTree(tracePath.toFile());
        Map<Integer, String> processNames = new HashMap<>();
        Map<String, Set<Integer>> pidsOfKey = new HashMap<>();
        Map<Integer, Set<String>> countersOfPid = new HashMap<>();
        for (JsonNode e : trace.get("traceEvents")) {
            int pid = e.get("pid").asInt();
            switch (e.get("ph").asText()) {
                case "M" -> {
                    if (e.get("name").asText().equals("process_name")) {
                        processNames.put(pid, e.get("args").get("name").asText());
                    }
                }
                case "X" -> pidsOfKey.computeIfAbsent(e.get("name").asText(), k -> new HashSet<>()).add(pid);
                case "C" -> countersOfPid.computeIfAbsent(pid, p -> new HashSet<>()).add(e.get("name").asText());
                default -> {
                }
            }
        }
        int pidOne = pidNamed(processNames, "worker " + one.address() + " (");
        int pidTwo = pidNamed(processNames, "worker " + two.address() + " (");
        assertTrue(processNames.get(pidOne).endsWith(ProcessName.describe() + ")"),
                "the worker's track names the process it ran in: " + processNames);
        for (int i = 0; i < 20; i++) {
            assertEquals(Set.of(i % 2 == 0 ? pidOne : pidTwo), pidsOfKey.get("inc-" + i), "inc-" + i + " on its worker's track");
        }
        for (int pid : List.of(pidOne, pidTwo)) {
            Set<String> counters = countersOfPid.getOrDefault(pid, Set.of());
            assertTrue(counters.contains(ResourceProbe.CPU_PROCESS) && counters.contains(ResourceProbe.HEAP_USED)
                    && counters.contains("tasks executing"),
                    "the worker process's own samples and its worker's counters on its track: " + counters);
        }
        assertTrue(countersOfPid.get(TraceWriter.PROCESS_PID).contains(ResourceProbe.CPU_PROCESS),
                "the scheduler's process keeps pid 1");
        String sources = trace.get("otherData").get("weft").get("sources").toString();
        assertTrue(sources.contains("worker " + late.address() + ": nothing recorded"), sources);

        Path reportPath = dir.resolve("cluster-report.html");
        assertTrue(profile("report", reportPath.toString()).contains("report written to " + reportPath));
        String html = Files.readString(reportPath, StandardCharsets.UTF_8);
        assertTrue(html.contains("2 worker(s) · 20 task(s)"), "both worker processes' tasks in the report");
        assertTrue(html.contains("Worker " + one.address()) && html.contains("Worker " + two.address()),
                "a section with plots per worker process");
    }

    @Test
    void aWorkerProcessWithoutTheFunctionIsNamedAndTheRestIsWritten() throws Exception {
        WorkerProcess plain = WorkerProcess.start(new WorkerProcess.Config(server.address(), "plain", 1, Map.of(),
                "127.0.0.1", TransportConfig.defaults(), 20_000, 200, PluginHostConfig.DEFAULTS, false),
                TaskFunctionRegistry.withBuiltins());
        workers.add(plain);
        String started = profile("start");
        assertTrue(started.contains("worker " + plain.address() + ": ") && started.contains(ProfileFunction.NAME), started);
        Path tracePath = dir.resolve("t.json");
        String traced = profile("trace", tracePath.toString());
        assertTrue(traced.contains("(this process and 0 of 1 worker process(es))"), traced);
        assertTrue(traced.contains("worker " + plain.address() + ": no recording: "), traced);
        assertTrue(Files.size(tracePath) > 0);
        assertEquals(1, new ObjectMapper().readTree(tracePath.toFile()).get("otherData").get("weft").get("format").asInt());
    }

    private static int pidNamed(Map<Integer, String> names, String prefix) {
        return names.entrySet().stream().filter(e -> e.getValue().startsWith(prefix)).mapToInt(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("no process named " + prefix + "...: " + names));
    }

    /** Installs the profiler's worker plugin on one worker process, as its runtime's plugin binder does. */
    private static final class WorkerProcessInstaller implements PluginInstaller {
        volatile WorkerProcess worker;
        private final Map<String, WorkerPluginFactory> installed = new ConcurrentHashMap<>();

        @Override
        public void installWorkerPlugin(String name, Supplier<WorkerPlugin> perWorker) {
            WorkerPluginFactory factory = new CodePluginFactory(name, perWorker);
            installed.put(name, factory);
            try {
                worker.addWorkerPlugin(factory).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void installSchedulerPlugin(String name, SchedulerPlugin plugin) {
            throw new AssertionError("a worker process has no scheduler plugins");
        }

        @Override
        public void uninstall(String name) {
            WorkerPluginFactory f = installed.remove(name);
            if (f != null) {
                worker.removeWorkerPlugin(f).join();
            }
        }
    }
}
