package org.weft.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.pluginhost.Fixtures.statusOf;
import static org.weft.pluginhost.Fixtures.transition;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.Delivery;
import org.weft.plugin.api.Overflow;
import org.weft.plugin.api.PluginOptions;

class PluginHandoverTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final PluginHostConfig config = PluginHostConfig.DEFAULTS.withHandoverMillis(5_000);
    private final SchedulerPluginHost host = new SchedulerPluginHost(Fixtures.schedulerView(), config, clock::get);
    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final PluginOrigin v1 = new PluginOrigin("org.example.counter", "1.0.0", 10);
    private final PluginOrigin v2 = new PluginOrigin("org.example.counter", "1.1.0", 11);

    private void send(int from, int to) {
        IntStream.range(from, to).forEach(i -> host.transition(transition("k" + i)));
    }

    private static List<String> keys(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "k" + i).toList();
    }

    @Test
    void heldEventsGoToTheNewRevisionRightAfterItsStart() throws Exception {
        RecordingPlugin old = new RecordingPlugin("old", journal);
        RecordingPlugin fresh = new RecordingPlugin("new", journal);
        host.add(old, PluginOptions.named("counter"), v1);
        send(0, 3);

        assertTrue(host.removeInstance(old, true));
        assertTrue(journal.get(journal.size() - 1).startsWith("old:close"), "closed after its last event");
        assertFalse(host.isEmpty(), "events are still wanted for the name");
        send(3, 6);
        clock.addAndGet(4_000);
        host.expireHandovers(clock.get());

        assertEquals(Registration.ADDED, host.add(fresh, PluginOptions.named("counter"), v2));
        assertTrue(journal.get(journal.size() - 4).startsWith("new:start"), journal.toString());
        send(6, 8);

        assertEquals(keys(0, 3), old.keys());
        assertEquals(keys(3, 8), fresh.keys());
        List<String> all = new ArrayList<>(old.keys());
        all.addAll(fresh.keys());
        assertEquals(keys(0, 8), all, "old and new together saw every event exactly once");
    }

    @Test
    void heldEventsReachAnAsyncNewRevisionInOrder() throws Exception {
        RecordingPlugin old = new RecordingPlugin("old", journal);
        RecordingPlugin fresh = new RecordingPlugin("new", journal);
        PluginOptions options = PluginOptions.named("counter").delivery(Delivery.async(8, Overflow.BLOCK));
        host.add(old, options, v1);
        send(0, 50);
        host.removeInstance(old, true);
        send(50, 100);
        host.add(fresh, options, v2);
        send(100, 150);
        host.remove("counter");

        List<String> all = new ArrayList<>(old.keys());
        all.addAll(fresh.keys());
        assertEquals(keys(0, 150), all);
    }

    @Test
    void expiryDiscardsTheHeldEvents() throws Exception {
        RecordingPlugin old = new RecordingPlugin("old", journal);
        RecordingPlugin fresh = new RecordingPlugin("new", journal);
        host.add(old, PluginOptions.named("counter"), v1);
        host.removeInstance(old, true);
        send(0, 3);

        host.expireHandovers(clock.get() + 4_999);
        assertFalse(host.isEmpty());
        host.expireHandovers(clock.get() + 5_000);
        assertTrue(host.isEmpty());

        host.add(fresh, PluginOptions.named("counter"), v2);
        send(3, 4);
        assertEquals(List.of("k3"), fresh.keys());
    }

    @Test
    void dropHandoverDiscardsAtOnce() throws Exception {
        RecordingPlugin old = new RecordingPlugin("old", journal);
        host.add(old, PluginOptions.named("counter"), v1);
        host.removeInstance(old, true);
        send(0, 3);

        host.dropHandover("counter");

        assertTrue(host.isEmpty());
        RecordingPlugin fresh = new RecordingPlugin("new", journal);
        host.add(fresh, PluginOptions.named("counter"), v2);
        assertEquals(List.of(), fresh.keys());
    }

    @Test
    void beyondCapacityEventsAreDroppedAndCountedOnTheNewcomer() throws Exception {
        SchedulerPluginHost small = new SchedulerPluginHost(Fixtures.schedulerView(),
                config.withHandoverCapacity(2), clock::get);
        RecordingPlugin old = new RecordingPlugin("old", journal);
        RecordingPlugin fresh = new RecordingPlugin("new", journal);
        small.add(old, PluginOptions.named("counter"), v1);
        small.removeInstance(old, true);
        IntStream.range(0, 5).forEach(i -> small.transition(transition("k" + i)));

        small.add(fresh, PluginOptions.named("counter"), v2);

        assertEquals(keys(0, 2), fresh.keys());
        assertEquals(3, statusOf(small.status(), "counter", PluginState.ACTIVE).dropped());
    }

    @Test
    void withoutAwaitingReplacementNothingIsHeld() throws Exception {
        RecordingPlugin old = new RecordingPlugin("old", journal);
        host.add(old, PluginOptions.named("counter"), v1);
        host.removeInstance(old, false);
        send(0, 3);
        assertTrue(host.isEmpty());

        RecordingPlugin fresh = new RecordingPlugin("new", journal);
        host.add(fresh, PluginOptions.named("counter"), v2);
        assertEquals(List.of(), fresh.keys());
    }
}
