package org.weft.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.plugin.api.SchedulerTaskState.MEMORY;
import static org.weft.plugin.api.SchedulerTaskState.PROCESSING;
import static org.weft.plugin.api.SchedulerTaskState.RELEASED;
import static org.weft.plugin.api.SchedulerTaskState.WAITING;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.PluginContext;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TransitionEvent;

/**
 * {@link SchedulerPlugin#wantsTransition}: events only for the transitions a plugin wants, and none
 * built when nobody does; asked again when the plugin says its interest changed
 * ({@link PluginContext#interestChanged()}); graph events only when some plugin handles them.
 */
class EventInterestTest {

    private final SchedulerPluginHost host = new SchedulerPluginHost(Fixtures.schedulerView(), PluginHostConfig.DEFAULTS);
    private final List<String> journal = new CopyOnWriteArrayList<>();

    /** Records the transitions it gets; wants only tasks leaving processing. */
    private static class LeavingProcessing extends RecordingPlugin {
        final AtomicInteger asked = new AtomicInteger();

        LeavingProcessing(List<String> journal) {
            super("leaving", journal);
        }

        @Override
        public boolean wantsTransition(SchedulerTaskState start, SchedulerTaskState finish) {
            asked.incrementAndGet();
            return start == PROCESSING;
        }
    }

    private static TransitionEvent event(String key, SchedulerTaskState start, SchedulerTaskState finish) {
        return new TransitionEvent(key, start, finish, "s-" + key, null, -1, null, List.of(), null, null);
    }

    private void send() {
        for (String key : List.of("a", "b")) {
            for (SchedulerTaskState[] edge : new SchedulerTaskState[][] {{RELEASED, WAITING}, {WAITING, PROCESSING},
                    {PROCESSING, MEMORY}, {MEMORY, RELEASED}}) {
                if (host.wantsTransition(edge[0], edge[1])) { // as the loop does: no event unless wanted
                    host.transition(event(key, edge[0], edge[1]));
                }
            }
        }
    }

    @Test
    void aPluginGetsOnlyTheTransitionsItWantsAndIsAskedOncePerSetOfPlugins() throws Exception {
        LeavingProcessing leaving = new LeavingProcessing(journal);
        host.add(leaving, PluginOptions.named("leaving"), PluginOrigin.CODE);

        assertFalse(host.wantsTransition(RELEASED, WAITING));
        assertTrue(host.wantsTransition(PROCESSING, MEMORY));
        send();
        assertEquals(List.of("a", "b"), leaving.keys());
        int n = SchedulerTaskState.values().length;
        assertEquals(n * n, leaving.asked.get(), "asked once per pair, not per event");
    }

    @Test
    void aPluginWantingEverythingBesideItGetsEverything() throws Exception {
        LeavingProcessing leaving = new LeavingProcessing(journal);
        RecordingPlugin all = new RecordingPlugin("all", journal);
        host.add(leaving, PluginOptions.named("leaving"), PluginOrigin.CODE);
        host.add(all, PluginOptions.named("all"), PluginOrigin.CODE);

        assertTrue(host.wantsTransition(RELEASED, WAITING));
        send();
        assertEquals(List.of("a", "b"), leaving.keys());
        assertEquals(List.of("a", "a", "a", "a", "b", "b", "b", "b"), all.keys());
    }

    @Test
    void noPluginNoEventAndAFailingAnswerMeansEverything() throws Exception {
        assertFalse(host.wantsTransition(PROCESSING, MEMORY));
        RecordingPlugin confused = new RecordingPlugin("confused", journal) {
            @Override
            public boolean wantsTransition(SchedulerTaskState start, SchedulerTaskState finish) {
                throw new IllegalStateException("no idea");
            }
        };
        host.add(confused, PluginOptions.named("confused"), PluginOrigin.CODE);
        assertTrue(host.wantsTransition(RELEASED, WAITING));
        send();
        assertEquals(8, confused.keys().size());
    }

    @Test
    void duringABundleUpdateEveryTransitionIsHeldForTheNewRevision() throws Exception {
        PluginOrigin v1 = new PluginOrigin("org.example.p", "1.0.0", 10);
        PluginOrigin v2 = new PluginOrigin("org.example.p", "2.0.0", 11);
        LeavingProcessing old = new LeavingProcessing(journal);
        RecordingPlugin fresh = new RecordingPlugin("fresh", journal); // the new revision wants everything
        host.add(old, PluginOptions.named("p"), v1);
        assertTrue(host.removeInstance(old, true));
        send();
        host.add(fresh, PluginOptions.named("p"), v2);
        assertEquals(8, fresh.keys().size(), "held while between revisions, whatever the old one wanted");
    }

    @Test
    void graphEventsAreWantedOnlyWhenSomePluginHandlesThemOrAHandoverHoldsEvents() throws Exception {
        assertFalse(host.wantsGraphEvents());
        host.add(new LeavingProcessing(journal), PluginOptions.named("leaving"), PluginOrigin.CODE);
        assertFalse(host.wantsGraphEvents(), "RecordingPlugin does not override updateGraph");
        SchedulerPlugin graphs = new SchedulerPlugin() {
            @Override
            public void updateGraph(org.weft.plugin.api.GraphEvent event) {
            }
        };
        host.add(graphs, PluginOptions.named("graphs"), new PluginOrigin("org.example.g", "1.0.0", 12));
        assertTrue(host.wantsGraphEvents());
        assertTrue(host.removeInstance(graphs, true));
        assertTrue(host.wantsGraphEvents(), "held for the next revision");
        host.dropHandover("graphs");
        assertFalse(host.wantsGraphEvents());
    }

    /** Wants tasks leaving processing only while {@code watching}, and says so when that changes. */
    private static final class Watcher extends LeavingProcessing {
        volatile boolean watching;
        volatile PluginContext context;

        Watcher(List<String> journal) {
            super(journal);
        }

        @Override
        public void start(SchedulerView scheduler, PluginContext context) {
            this.context = context;
        }

        @Override
        public boolean wantsTransition(SchedulerTaskState start, SchedulerTaskState finish) {
            return super.wantsTransition(start, finish) && watching;
        }

        /** From another thread, as a servlet would. */
        void watch(boolean on) throws InterruptedException {
            Thread t = new Thread(() -> {
                watching = on;
                context.interestChanged();
            });
            t.start();
            t.join();
        }
    }

    @Test
    void aPluginThatSaysItsInterestChangedIsAskedAgainAndGetsEventsExactlyWhileItWantsThem() throws Exception {
        Watcher watcher = new Watcher(journal);
        host.add(watcher, PluginOptions.named("watcher"), PluginOrigin.CODE);
        assertEquals("watcher", watcher.context.name());
        int n = SchedulerTaskState.values().length;

        send();
        assertEquals(List.of(), watcher.keys(), "not watching: no event, none built");
        assertFalse(host.wantsTransition(PROCESSING, MEMORY));
        assertEquals(n * n, watcher.asked.get());

        watcher.watch(true);
        assertTrue(host.wantsTransition(PROCESSING, MEMORY), "asked again before the next event");
        send();
        assertEquals(List.of("a", "b"), watcher.keys());
        assertEquals(2 * n * n, watcher.asked.get(), "asked once per change, not per event");

        watcher.watch(false);
        send();
        assertEquals(List.of("a", "b"), watcher.keys(), "nothing more once it stopped watching");
        assertFalse(host.wantsTransition(PROCESSING, MEMORY));
        assertEquals(3 * n * n, watcher.asked.get());
    }

    @Test
    void anInterestChangeLeavesOtherPluginsAndHandoversAloneAndIsHarmlessAfterClose() throws Exception {
        Watcher watcher = new Watcher(journal);
        RecordingPlugin all = new RecordingPlugin("all", journal);
        host.add(watcher, PluginOptions.named("watcher"), PluginOrigin.CODE);
        host.add(all, PluginOptions.named("all"), PluginOrigin.CODE);
        watcher.watch(true);
        watcher.watch(false);
        send();
        assertEquals(8, all.keys().size(), "the other plugin still gets every transition");
        assertEquals(List.of(), watcher.keys());

        host.remove("watcher");
        watcher.watch(true); // a late call from a plugin already closed
        send();
        assertEquals(List.of(), watcher.keys(), "a closed plugin gets nothing");
        assertEquals(16, all.keys().size());
    }
}
