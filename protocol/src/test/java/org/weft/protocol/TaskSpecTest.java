package org.weft.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TaskSpecTest {

    @Test
    void dependenciesIncludeNestedRefsOnceInOrder() {
        TaskSpec spec = new TaskSpec("c", "combine", List.of(
                new TaskRef("a"),
                List.of(1, List.of(new TaskRef("b"), new TaskRef("a"))),
                Map.of("x", new TaskRef("d"), "y", "plain")));

        assertEquals(List.of("a", "b", "d"), List.copyOf(spec.dependencies()));
    }

    @Test
    void noRefsNoDependencies() {
        assertEquals(Set.of(), new TaskSpec("a", "inc", List.of(1, "x")).dependencies());
    }

    @Test
    void negativeRetriesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TaskSpec("a", "inc", List.of(), -1));
    }
}
