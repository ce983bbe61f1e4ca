package org.weft.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.protocol.TaskSpec;

/** Priority, worker restrictions and resources travel from the client API and graph files to the scheduler. */
class PlacementOptionsTest {

    @Test
    void taskOptionsBecomeTheScheduledTask() {
        TaskOptions options = TaskOptions.key("train").withRetries(1).withPriority(7).withWorkers("inproc://worker-2")
                .withAllowOtherWorkers(true).withResources(Map.of("GPU", 1.0));
        TaskSpec spec = options.toSpec("train", "fit", List.of());
        assertEquals(7, spec.priority());
        assertEquals(Set.of("inproc://worker-2"), spec.workers());
        assertTrue(spec.looseRestrictions());
        assertEquals(Map.of("GPU", 1.0), spec.resources());
        assertEquals(1, spec.retries());
        assertTrue(spec.restricted());
    }

    @Test
    void graphFilesCarryPlacementFields() {
        Graph g = Graph.fromJson("{\"tasks\": {\"a\": {\"fn\": \"inc\", \"args\": [1], \"priority\": 3, "
                + "\"workers\": [\"localhost\"], \"allowOtherWorkers\": true, \"resources\": {\"GPU\": 1, \"MEMORY\": 8e9}}},"
                + " \"keys\": [\"a\"]}");
        TaskSpec a = g.tasks().get(0);
        assertEquals(3, a.priority());
        assertEquals(Set.of("localhost"), a.workers());
        assertTrue(a.looseRestrictions());
        assertEquals(Map.of("GPU", 1.0, "MEMORY", 8e9), a.resources());
    }

    @Test
    void badPlacementFieldsAreRejectedWithThePath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Graph.fromJson(
                "{\"tasks\": {\"a\": {\"fn\": \"inc\", \"resources\": {\"GPU\": -1}}}}"));
        assertTrue(e.getMessage().contains("tasks.a.resources.GPU"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Graph.fromJson(
                "{\"tasks\": {\"a\": {\"fn\": \"inc\", \"workers\": \"w1\"}}}"));
        assertTrue(e.getMessage().contains("tasks.a.workers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Graph.fromJson(
                "{\"tasks\": {\"a\": {\"fn\": \"inc\", \"priority\": 1.5}}}"));
        assertTrue(e.getMessage().contains("tasks.a.priority"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new TaskSpec("a", "f", List.of(), 0, 0, Set.of(), false, Map.of("GPU", Double.NaN)));
    }
}
