package org.weft.itests;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;

import java.io.FileInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.weft.client.Client;
import org.weft.client.Graph;
import org.weft.client.WeftFuture;
import org.weft.plugin.api.PluginProperties;
import org.weft.plugin.api.SchedulerPlugin;

/**
 * {@code update} of a plugin bundle while a large graph runs: the host hands over from v1 to v2
 * without losing or duplicating an event.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotUpdateIT extends WeftTestSupport {

    /** Independent tasks; each sleeps 1 ms, so the graph takes seconds on 2 workers x 2 threads. */
    private static final int TASKS = 12_000;
    /** Update once this many tasks have finished: well inside the run. */
    private static final int UPDATE_AFTER = 1_500;

    @Test
    public void updateUnderARunningGraphLosesNoEvent() throws Exception {
        RecordingPlugin reference = new RecordingPlugin();
        register(SchedulerPlugin.class, reference, Map.of(PluginProperties.NAME, "ref-counter"));
        assertTrue("ref-counter started", reference.started.await(30, SECONDS));

        Bundle counter = installAndStart(COUNTER_V1);
        Object v1 = commandObject("counter");
        assertEquals("1", call(v1, "version"));
        await("counter v1 ACTIVE", () -> pluginRows("counter", "ACTIVE").size() == 1);

        Graph.Builder graph = Graph.builder();
        String[] keys = new String[TASKS];
        for (int i = 0; i < TASKS; i++) {
            keys[i] = "slow-" + i;
            graph.task(keys[i], "sleep", 1, i);
        }
        Client client = client();
        Map<String, WeftFuture> futures = client.compute(graph.keys(keys).build());

        await(UPDATE_AFTER + " tasks finished before the update", () -> reference.finished.get() >= UPDATE_AFTER);
        long refBeforeUpdate = reference.finished.get();
        try (InputStream v2Jar = new FileInputStream(bundleFile(COUNTER_V2))) {
            counter.update(v2Jar);
        }
        long refAfterUpdate = reference.finished.get();

        List<Object> results = client.gather(new ArrayList<>(futures.values()), 300, SECONDS);
        for (int i = 0; i < TASKS; i++) {
            assertEquals((long) i, ((Number) results.get(i)).longValue());
        }
        await("ref-counter saw all " + TASKS + " tasks finish", () -> reference.finished.get() >= TASKS);

        Object v2 = commandObject("counter");
        assertNotSame("a new component instance after the update", v1, v2);
        assertEquals("2", call(v2, "version"));
        assertEquals("same bundle, updated in place", counter.getBundleId(), bundleNamed(COUNTER_BSN).getBundleId());
        assertEquals("2.0.0", counter.getVersion().toString());
        // the loop has delivered every event of the graph once a later question comes back from it
        List<Map<String, String>> active = pluginRows("counter", "ACTIVE");
        assertEquals(1, active.size());
        assertEquals("2.0.0", active.get(0).get("VERSION"));

        long v1Final = count(v1);
        long v2Count = count(v2);
        String figures = "ref before update=" + refBeforeUpdate + ", ref after update=" + refAfterUpdate
                + ", v1 final=" + v1Final + ", v2=" + v2Count + ", total=" + TASKS;
        System.out.println("HotUpdateIT: " + figures);
        assertTrue("the update landed mid-run: " + figures, refBeforeUpdate > 0 && refAfterUpdate < TASKS);
        assertTrue("v1 counted before the update: " + figures, v1Final > 0);
        assertTrue("v2 counted after the update: " + figures, v2Count > 0);
        assertEquals("ref-counter saw every task exactly once: " + figures, TASKS, reference.finished.get());
        assertEquals("every event went to exactly one revision: " + figures, TASKS, v1Final + v2Count);
    }
}
