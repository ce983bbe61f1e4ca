package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ReportEvent;
import org.weft.plugin.api.LogEvent;

/** log_event: the bounded per-topic log, the hook once per topic, and topic subscriptions. */
class TopicLogTest {

    private final ControlRecorder rec = ControlRecorder.withState("c1", "c2");
    private final SchedulerState state = rec.state;

    @Test
    void anEventUnderSeveralTopicsIsKeptAndReportedOncePerTopic() {
        state.logEvent(List.of("alpha", "beta", "alpha"), Map.of("n", 1), 100, "log-1");
        assertEquals(List.of(new LogEvent("alpha", Map.of("n", 1), 100), new LogEvent("beta", Map.of("n", 1), 100)),
                rec.logged);
        assertEquals(List.of(new LogEvent("alpha", Map.of("n", 1), 100)), state.events("alpha"));
        assertEquals(List.of(new LogEvent("beta", Map.of("n", 1), 100)), state.events("beta"));
        assertEquals(List.of(), state.events("gamma"));
        assertEquals(Map.of("alpha", 1L, "beta", 1L), state.eventCounts());
    }

    @Test
    void eachTopicKeepsOnlyItsMostRecentEventsButCountsAll() {
        TopicLog log = new TopicLog(3);
        for (int i = 0; i < 5; i++) {
            log.add(new LogEvent("t", i, i));
        }
        log.add(new LogEvent("u", "x", 9));
        assertEquals(List.of(2, 3, 4), log.events("t").stream().map(LogEvent::message).toList());
        assertEquals(Map.of("t", 5L, "u", 1L), log.counts());

        for (int i = 0; i < TopicLog.DEFAULT_CAPACITY + 10; i++) {
            state.logEvent(List.of("busy"), i, i, "s" + i);
        }
        assertEquals(TopicLog.DEFAULT_CAPACITY, state.events("busy").size());
        assertEquals(10, state.events("busy").get(0).message());
        assertEquals(TopicLog.DEFAULT_CAPACITY + 10L, state.eventCounts().get("busy"));
    }

    @Test
    void subscribedClientsGetEventsOfTheirTopicsOnly() {
        state.subscribeTopic("c1", "news");
        state.subscribeTopic("c2", "news");
        state.subscribeTopic("c2", "sport");
        state.logEvent(List.of("news", "sport", "weather"), "hello", 7, "log");
        assertEquals(List.of(new ReportEvent("c1", "news", "hello", 7), new ReportEvent("c2", "news", "hello", 7),
                new ReportEvent("c2", "sport", "hello", 7)), state.drainInstructions());

        state.unsubscribeTopic("c2", "news");
        state.removeClient("c1", "bye");
        state.logEvent(List.of("news", "sport"), "again", 8, "log-2");
        assertEquals(List.of(new ReportEvent("c2", "sport", "again", 8)), state.drainInstructions());
    }

    @Test
    void badTopicsAndMessagesAreRefusedAndLogNothing() {
        assertThrows(IllegalArgumentException.class, () -> state.logEvent(List.of(), "m", 1, "s"));
        assertThrows(IllegalArgumentException.class, () -> state.logEvent(List.of(" "), "m", 1, "s"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> state.logEvent(List.of("t"), Map.of("k", new Object()), 1, "s"));
        assertTrue(e.getMessage().contains("JSON-able"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> state.logEvent(List.of("t"), Map.of(1, "x"), 1, "s"));
        assertThrows(IllegalArgumentException.class, () -> state.subscribeTopic("ghost", "t"));
        assertTrue(rec.logged.isEmpty());
        assertEquals(Map.of(), state.eventCounts());
    }

    @Test
    void identityDescribesWorkersClientsAndTasks() {
        state.addWorker("w1", 4, "w");
        state.updateGraph("c1", List.of(new org.weft.protocol.TaskSpec("a", "inc", List.of(1))),
                java.util.Set.of("a"), "g");
        Map<String, Object> id = state.identity();
        assertEquals(Map.of("w1", Map.of("nthreads", 4, "processing", 1, "in-memory", 0, "nbytes", 0L)),
                id.get("workers"));
        assertEquals(2, id.get("clients"));
        assertEquals(Map.of("processing", 1), id.get("tasks"));
        assertEquals(1, id.get("total-tasks"));
    }
}
