package org.weft.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.pluginhost.Fixtures.WORKER_ADDRESS;
import static org.weft.pluginhost.Fixtures.statusOf;
import static org.weft.pluginhost.Fixtures.workerTransition;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.ReleaseKeyEvent;
import org.weft.plugin.api.WorkerTaskState;

class WorkerPluginHostTest {

    private final WorkerPluginHost host = new WorkerPluginHost(Fixtures.workerView(),
            PluginHostConfig.DEFAULTS.withMaxConsecutiveFailures(2));
    private final List<String> journal = new CopyOnWriteArrayList<>();

    @Test
    void setupBeforeTheFirstEventAndTeardownOnRemove() throws Exception {
        RecordingWorkerPlugin p = new RecordingWorkerPlugin("a", journal);

        assertEquals(Registration.ADDED, host.add(p, PluginOptions.named("a"), PluginOrigin.CODE));
        host.transition(workerTransition("k1"));
        host.releaseKey(new ReleaseKeyEvent("k1", WorkerTaskState.MEMORY, "s", null, true));
        host.remove("a");
        host.transition(workerTransition("k2"));

        assertEquals(List.of("a:setup:" + WORKER_ADDRESS, "a:transition:k1", "a:releaseKey:k1",
                "a:teardown:" + WORKER_ADDRESS), journal);
        assertTrue(host.isEmpty());
        assertEquals(WORKER_ADDRESS, statusOf(host.status(), "a", PluginState.CLOSED).where());
    }

    @Test
    void sameNameTearsDownTheOldThenSetsUpTheNew() throws Exception {
        host.add(new RecordingWorkerPlugin("old", journal), PluginOptions.named("p"), PluginOrigin.CODE);

        assertEquals(Registration.REPLACED,
                host.add(new RecordingWorkerPlugin("new", journal), PluginOptions.named("p"), PluginOrigin.CODE));
        host.transition(workerTransition("k"));

        assertEquals(List.of("old:setup:" + WORKER_ADDRESS, "old:teardown:" + WORKER_ADDRESS,
                "new:setup:" + WORKER_ADDRESS, "new:transition:k"), journal);
    }

    /** A bundle update on a worker: the old revision's plugin leaves, its events are held, the new one gets them after setup. */
    @Test
    void aRemovalAwaitingItsReplacementHandsTheEventsBetweenToTheNewPlugin() throws Exception {
        RecordingWorkerPlugin v1 = new RecordingWorkerPlugin("v1", journal);
        host.add(v1, PluginOptions.named("p"), PluginOrigin.CODE);
        host.transition(workerTransition("before"));
        assertTrue(host.removeInstance(v1, true));
        host.transition(workerTransition("during-1"));
        host.transition(workerTransition("during-2"));
        host.add(new RecordingWorkerPlugin("v2", journal), PluginOptions.named("p"), PluginOrigin.CODE);
        host.transition(workerTransition("after"));

        assertEquals(List.of("v1:setup:" + WORKER_ADDRESS, "v1:transition:before", "v1:teardown:" + WORKER_ADDRESS,
                "v2:setup:" + WORKER_ADDRESS, "v2:transition:during-1", "v2:transition:during-2", "v2:transition:after"),
                journal);
    }

    @Test
    void eventsHeldForAPluginWhoseBundleIsGoneAreDropped() throws Exception {
        RecordingWorkerPlugin v1 = new RecordingWorkerPlugin("v1", journal);
        host.add(v1, PluginOptions.named("p"), PluginOrigin.CODE);
        host.removeInstance(v1, true);
        host.transition(workerTransition("held"));
        host.dropHandover("p");
        assertTrue(host.isEmpty());
        host.add(new RecordingWorkerPlugin("again", journal), PluginOptions.named("p"), PluginOrigin.CODE);
        assertEquals(List.of("v1:setup:" + WORKER_ADDRESS, "v1:teardown:" + WORKER_ADDRESS, "again:setup:" + WORKER_ADDRESS),
                journal);
    }

    @Test
    void idempotentNewcomerIsIgnoredAndNotSetUp() throws Exception {
        host.add(new RecordingWorkerPlugin("old", journal), PluginOptions.named("p"), PluginOrigin.CODE);

        Registration r = host.add(new RecordingWorkerPlugin("new", journal),
                PluginOptions.named("p").idempotent(true), PluginOrigin.CODE);

        assertEquals(Registration.IGNORED_IDEMPOTENT, r);
        assertEquals(List.of("old:setup:" + WORKER_ADDRESS), journal);
    }

    @Test
    void setupThatThrowsIsReturnedAndShownFailedWithTheCause() {
        RecordingWorkerPlugin p = new RecordingWorkerPlugin("bad", journal);
        p.failSetup = true;

        PluginStartException e = assertThrows(PluginStartException.class,
                () -> host.add(p, PluginOptions.named("bad"), PluginOrigin.CODE));
        host.transition(workerTransition("k"));

        assertEquals("bad", e.pluginName());
        assertTrue(e.getMessage().contains(WORKER_ADDRESS) && e.getMessage().contains("setup refused on purpose"),
                e.getMessage());
        PluginStatus s = statusOf(host.status(), "bad", PluginState.FAILED);
        assertEquals(WORKER_ADDRESS, s.where());
        assertEquals(PluginKind.WORKER, s.kind());
        assertTrue(s.failure().contains("setup refused on purpose"), s.failure());
        assertEquals(Set.of(), host.names());
        assertTrue(host.isEmpty());
        assertEquals(List.of("bad:setup:" + WORKER_ADDRESS), journal, "no event, no teardown");
    }

    @Test
    void aLaterSuccessfulSetupClearsTheFailedEntry() throws Exception {
        RecordingWorkerPlugin bad = new RecordingWorkerPlugin("bad", journal);
        bad.failSetup = true;
        assertThrows(PluginStartException.class, () -> host.add(bad, PluginOptions.named("p"), PluginOrigin.CODE));

        host.add(new RecordingWorkerPlugin("good", journal), PluginOptions.named("p"), PluginOrigin.CODE);

        assertEquals(List.of(PluginState.ACTIVE), host.status().stream().map(PluginStatus::state).toList());
    }

    @Test
    void removingAnUnknownNameIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> host.remove("nope"));
        assertEquals("no worker plugin named 'nope' on " + WORKER_ADDRESS + "; plugins: []", e.getMessage());
    }

    @Test
    void failingHooksSetFailedAndTheWorkerCarriesOn() throws Exception {
        RecordingWorkerPlugin bad = new RecordingWorkerPlugin("bad", journal);
        bad.failTransitions = true;
        RecordingWorkerPlugin good = new RecordingWorkerPlugin("good", journal);
        host.add(bad, PluginOptions.named("bad"), PluginOrigin.CODE);
        host.add(good, PluginOptions.named("good"), PluginOrigin.CODE);

        IntStream.range(0, 5).forEach(i -> host.transition(workerTransition("k" + i)));

        assertEquals(2, journal.stream().filter(s -> s.startsWith("bad:transition")).count());
        assertEquals(5, journal.stream().filter(s -> s.startsWith("good:transition")).count());
        assertEquals(2, statusOf(host.status(), "bad", PluginState.FAILED).errors());
    }

    @Test
    void closeAllTearsDownEveryPluginAndRemoveInstanceChecksTheInstance() throws Exception {
        RecordingWorkerPlugin a = new RecordingWorkerPlugin("a", journal);
        RecordingWorkerPlugin b = new RecordingWorkerPlugin("b", journal);
        host.add(a, PluginOptions.named("a"), PluginOrigin.CODE);
        host.add(b, PluginOptions.named("b"), PluginOrigin.CODE);

        assertFalse(host.removeInstance(new RecordingWorkerPlugin("other", journal)));
        assertTrue(host.removeInstance(a));
        host.closeAll();

        assertEquals(List.of("a:setup:" + WORKER_ADDRESS, "b:setup:" + WORKER_ADDRESS,
                "a:teardown:" + WORKER_ADDRESS, "b:teardown:" + WORKER_ADDRESS), journal);
        assertTrue(host.isEmpty());
    }
}
