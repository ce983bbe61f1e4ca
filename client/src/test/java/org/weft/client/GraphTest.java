package org.weft.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

class GraphTest {

    private static String failure(Graph.Builder builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    @Test
    void buildsTasksInOrderWithRetriesAndDefaultKeys() {
        Graph g = Graph.builder()
                .task("a", "inc", 1)
                .task("b", "inc", 2)
                .task("c", "add", new TaskRef("a"), List.of(new TaskRef("b")))
                .task("d", "inc", 5)
                .retries("c", 3)
                .build();

        assertEquals(List.of("a", "b", "c", "d"), g.tasks().stream().map(TaskSpec::key).toList());
        assertEquals(3, g.task("c").orElseThrow().retries());
        assertEquals(List.of("c", "d"), List.copyOf(g.keys()), "sinks by default");
        assertEquals(Set.of(), g.external());
        assertEquals(4, g.size());
    }

    @Test
    void explicitKeysReplaceTheDefault() {
        Graph g = Graph.builder().task("a", "inc", 1).task("b", "inc", new TaskRef("a")).keys("a", "b").build();
        assertEquals(List.of("a", "b"), List.copyOf(g.keys()));
    }

    @Test
    void retriesCanBeSetBeforeTheTaskAndOverrideASpec() {
        Graph g = Graph.builder().retries("a", 2).task(new TaskSpec("a", "inc", List.of(1), 5)).build();
        assertEquals(2, g.task("a").orElseThrow().retries());
    }

    @Test
    void isImmutable() {
        List<Object> nested = new ArrayList<>(List.of(1));
        Graph g = Graph.builder().task("a", "sum", nested).build();
        nested.add(2);

        assertEquals(List.of(List.of(1)), g.task("a").orElseThrow().args());
        assertThrows(UnsupportedOperationException.class, () -> g.tasks().clear());
        assertThrows(UnsupportedOperationException.class, () -> g.keys().clear());
        @SuppressWarnings("unchecked")
        List<Object> copied = (List<Object>) g.task("a").orElseThrow().args().get(0);
        assertThrows(UnsupportedOperationException.class, () -> copied.add(3));
    }

    @Test
    void duplicateKeyIsNamed() {
        assertEquals("duplicate task key 'a'",
                failure(Graph.builder().task("a", "inc", 1).task("a", "dec", 1)));
    }

    @Test
    void emptyFunctionIsNamed() {
        assertEquals("task 'a' has an empty function name", failure(Graph.builder().task("a", "")));
        assertEquals("task 'b' has an empty function name", failure(Graph.builder().task("b", null)));
    }

    @Test
    void emptyKeyIsRejected() {
        assertEquals("task key must not be empty", failure(Graph.builder().task("", "inc")));
    }

    @Test
    void unknownRefIsNamedUnlessExternal() {
        String message = failure(Graph.builder().task("b", "add", List.of(Map.of("x", new TaskRef("zz")))));
        assertTrue(message.startsWith("task 'b' refers to unknown key 'zz'"), message);

        Graph g = Graph.builder().external("zz").task("b", "add", new TaskRef("zz")).build();
        assertEquals(Set.of("zz"), g.external());
        assertEquals(Set.of("b"), g.keys());
    }

    @Test
    void retriesAndKeysMustNameTasks() {
        assertEquals("retries given for unknown task 'x'", failure(Graph.builder().task("a", "inc").retries("x", 1)));
        assertEquals("wanted key 'x' is not a task of the graph", failure(Graph.builder().task("a", "inc").keys("x")));
        assertThrows(IllegalArgumentException.class, () -> Graph.builder().retries("a", -1));
    }

    @Test
    void cycleIsNamed() {
        assertEquals("cycle in graph: b -> c -> b", failure(Graph.builder()
                .task("a", "inc", new TaskRef("b"))
                .task("b", "inc", new TaskRef("c"))
                .task("c", "inc", new TaskRef("b"))));
        assertEquals("cycle in graph: a -> a", failure(Graph.builder().task("a", "inc", new TaskRef("a"))));
    }

    @Test
    void futuresBecomeExternalRefs() {
        FakeConnection conn = new FakeConnection();
        try (Client client = Client.connect(conn)) {
            WeftFuture a = client.submit("inc", 1);
            Graph g = Graph.builder().task("b", "add", List.of(a), 10).build();

            assertEquals(List.of(List.of(new TaskRef(a.key())), 10), g.task("b").orElseThrow().args());
            assertEquals(Set.of(a.key()), g.external());
        }
    }
}
