package org.weft.itests;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.weft.client.Client;
import org.weft.client.WeftFuture;
import org.weft.plugin.api.PluginProperties;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.plugin.api.WorkerView;

/** Plugins coming and going in a running framework: hot install, idempotent duplicates, uninstall, worker plugins. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginLifecycleIT extends WeftTestSupport {

    /** Runs {@code n} independent {@code inc} tasks and checks their results. */
    private void runIncs(Client client, int n) {
        List<WeftFuture> futures = client.map("inc", IntStream.range(0, n).boxed().collect(Collectors.toList()));
        List<Object> results = client.gather(futures, 60, SECONDS);
        for (int i = 0; i < n; i++) {
            assertEquals("inc(" + i + ")", i + 1L, ((Number) results.get(i)).longValue());
        }
    }

    @Test
    public void hotInstalledCounterCountsEveryFinishedTask() throws Exception {
        installAndStart(COUNTER_V1);
        Object counter = commandObject("counter");
        await("the counter plugin ACTIVE in weft:plugins", () -> pluginRows("counter", "ACTIVE").size() == 1);
        assertEquals(0, count(counter));

        int n = 500;
        runIncs(client(), n);

        await("counter:count == " + n, () -> count(counter) >= n);
        assertEquals(n, count(counter));
        // the same through the shell, as a user would ask
        assertEquals((long) n, ((Number) run("counter:count").value()).longValue());
    }

    @Test
    public void idempotentDuplicateIsIgnored() throws Exception {
        RecordingPlugin first = new RecordingPlugin();
        RecordingPlugin second = new RecordingPlugin();
        register(SchedulerPlugin.class, first, Map.of(PluginProperties.NAME, "dup"));
        assertTrue("first 'dup' started", first.started.await(30, SECONDS));

        register(SchedulerPlugin.class, second,
                Map.of(PluginProperties.NAME, "dup", PluginProperties.IDEMPOTENT, Boolean.TRUE));
        int n = 20;
        runIncs(client(), n);
        await("the first 'dup' saw all " + n + " tasks finish", () -> first.finished.get() >= n);

        List<Map<String, String>> dups = plugins().stream().filter(r -> "dup".equals(r.get("NAME")))
                .collect(Collectors.toList());
        assertEquals("weft:plugins rows named dup: " + dups, 1, dups.size());
        assertEquals("ACTIVE", dups.get(0).get("STATE"));
        assertEquals("the idempotent newcomer is never started", 0, second.starts.get());
        assertEquals("the idempotent newcomer receives nothing", 0, second.transitions.get());
        assertEquals(1, first.starts.get());
        assertEquals("the running one is not closed", 0, first.closes.get());
        assertEquals(n, first.finished.get());
    }

    @Test
    public void uninstallClosesThePlugin() throws Exception {
        Bundle bundle = installAndStart(COUNTER_V1);
        Object counter = commandObject("counter");
        await("the counter plugin ACTIVE", () -> pluginRows("counter", "ACTIVE").size() == 1);
        Client client = client();
        runIncs(client, 50);
        await("counter:count == 50", () -> count(counter) >= 50);
        int closedBefore = pluginRows("counter", "CLOSED").size();

        bundle.uninstall();

        await("counter no longer ACTIVE and listed CLOSED", () -> pluginRows("counter", "ACTIVE").isEmpty()
                && pluginRows("counter", "CLOSED").size() == closedBefore + 1);
        runIncs(client, 50);
        shell("weft:status"); // a round trip through the scheduler loop, after the graph's last event
        assertEquals("a closed plugin counts nothing more", 50, count(counter));
    }

    @Test
    public void workerPluginsAreSetUpOnEveryWorkerAndTornDown() throws Exception {
        List<String> workers = workerAddresses();
        assertEquals("workers: " + workers, 2, workers.size());

        // the example: a prototype-scope DS component
        Bundle errorLogger = installAndStart(ERROR_LOGGER);
        List<Map<String, String>> rows = awaitValue("error-logger ACTIVE on both workers", () -> {
            List<Map<String, String>> r = pluginRows("error-logger", "ACTIVE");
            return r.size() == 2 ? r : null;
        });
        for (Map<String, String> row : rows) {
            assertEquals("worker", row.get("KIND"));
        }
        assertEquals(Set.copyOf(workers), rows.stream().map(r -> r.get("WHERE")).collect(Collectors.toSet()));
        errorLogger.uninstall();
        await("error-logger torn down everywhere", () -> pluginRows("error-logger", "ACTIVE").isEmpty());

        // a prototype-scope service registered by hand
        AtomicInteger created = new AtomicInteger();
        AtomicInteger released = new AtomicInteger();
        AtomicInteger setups = new AtomicInteger();
        AtomicInteger teardowns = new AtomicInteger();
        Set<String> setUpOn = ConcurrentHashMap.newKeySet();
        PrototypeServiceFactory<WorkerPlugin> factory = new PrototypeServiceFactory<>() {
            @Override
            public WorkerPlugin getService(Bundle bundle, ServiceRegistration<WorkerPlugin> registration) {
                created.incrementAndGet();
                return new WorkerPlugin() {
                    @Override
                    public void setup(WorkerView worker) {
                        setups.incrementAndGet();
                        setUpOn.add(worker.address());
                    }

                    @Override
                    public void teardown(WorkerView worker) {
                        teardowns.incrementAndGet();
                    }
                };
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<WorkerPlugin> registration, WorkerPlugin service) {
                released.incrementAndGet();
            }
        };
        ServiceRegistration<WorkerPlugin> registration = register(WorkerPlugin.class, factory,
                Map.of(PluginProperties.NAME, "itest-worker-probe"));
        await("setup on both workers", () -> setups.get() >= 2);
        await("itest-worker-probe ACTIVE twice", () -> pluginRows("itest-worker-probe", "ACTIVE").size() == 2);
        assertEquals("setup once per worker", 2, setups.get());
        assertEquals(Set.copyOf(workers), setUpOn);
        assertEquals("one instance per worker", 2, created.get());
        assertEquals(0, teardowns.get());

        registration.unregister();
        await("teardown on both workers", () -> teardowns.get() >= 2);
        await("itest-worker-probe no longer ACTIVE", () -> pluginRows("itest-worker-probe", "ACTIVE").isEmpty());
        assertEquals(2, teardowns.get());
        assertEquals(2, setups.get());
        assertEquals("every instance released", 2, released.get());
    }
}
