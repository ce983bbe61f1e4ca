package org.weft.itests;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.weft.client.Client;
import org.weft.client.TaskFailedException;
import org.weft.plugin.api.PluginProperties;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TaskFunction;
import org.weft.plugin.api.TransitionEvent;

/** Services other bundles contribute: task functions by name, and plugins asking for asynchronous delivery. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContributedServicesIT extends WeftTestSupport {

    @Test
    public void aTaskFunctionServiceRunsByNameAndLeavesWithItsService() throws Exception {
        TaskFunction triple = (args, ctx) -> ((Number) args.get(0)).longValue() * 3;
        ServiceRegistration<TaskFunction> registration = register(TaskFunction.class, triple,
                Map.of(PluginProperties.FUNCTION_NAME, "triple"));
        Client client = client();
        assertEquals(21L, client.submit("triple", 7).get(30, SECONDS));

        registration.unregister();
        try {
            client.submit("triple", 8).get(30, SECONDS);
            fail("the function left with its service");
        } catch (TaskFailedException expected) {
            assertTrue(expected.exceptionText(), expected.exceptionText().contains("no task function named 'triple'"));
        }
    }

    @Test
    public void anAsyncPluginGetsEveryEventInOrderOnItsOwnThread() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        Map<String, SchedulerTaskState> last = new ConcurrentHashMap<>();
        SchedulerPlugin probe = new SchedulerPlugin() {
            @Override
            public void transition(TransitionEvent e) {
                threads.add(Thread.currentThread().getName());
                SchedulerTaskState before = last.put(e.key(), e.finish());
                if (before != null && before != e.start()) {
                    outOfOrder.incrementAndGet();
                }
                if (e.start() == SchedulerTaskState.PROCESSING && e.finish() == SchedulerTaskState.MEMORY) {
                    finished.incrementAndGet();
                }
            }
        };
        register(SchedulerPlugin.class, probe, Map.of(PluginProperties.NAME, "async-probe",
                PluginProperties.ASYNC_QUEUE_CAPACITY, 16, PluginProperties.ASYNC_OVERFLOW, "BLOCK"));
        await("async-probe ACTIVE", () -> pluginRows("async-probe", "ACTIVE").size() == 1);

        int n = 300;
        Client client = client();
        client.gather(client.map("inc", java.util.stream.IntStream.range(0, n).boxed().toList()), 60, SECONDS);

        await("every task seen by the async plugin", () -> finished.get() == n);
        assertEquals(0, outOfOrder.get());
        assertEquals(Set.of("weft-plugin-async-probe"), threads);
        List<Map<String, String>> rows = pluginRows("async-probe", "ACTIVE");
        assertEquals("async(16,BLOCK)", rows.get(0).get("DELIVERY"));
        assertEquals("0", rows.get(0).get("DROPPED"));
    }
}
