package org.weft.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

class GraphFileTest {

    /** Single quotes stand for double quotes, to keep the JSON readable in Java strings. */
    private static String json(String text) {
        return text.replace('\'', '"');
    }

    private static String failure(String text) {
        return assertThrows(IllegalArgumentException.class, () -> Graph.fromJson(json(text))).getMessage();
    }

    @Test
    void readsTasksRefsRetriesAndKeys() {
        Graph g = Graph.fromJson(json("""
                {'tasks': {
                   'a': {'fn': 'inc', 'args': [1]},
                   'b': {'fn': 'add', 'args': [{'ref': 'a'}, 10], 'retries': 2},
                   'c': {'fn': 'combine', 'args': [[{'ref': 'a'}, {'k': {'ref': 'b'}}], 1.5, 'x', true, null,
                                                   {'ref': 'a', 'other': 1}]}},
                 'keys': ['b', 'c']}
                """));

        assertEquals(List.of("b", "c"), List.copyOf(g.keys()));
        assertEquals(new TaskSpec("a", "inc", List.of(1L)), g.task("a").orElseThrow());
        assertEquals(new TaskSpec("b", "add", List.of(new TaskRef("a"), 10L), 2), g.task("b").orElseThrow());
        TaskSpec c = g.task("c").orElseThrow();
        assertEquals(Arrays.asList(
                List.of(new TaskRef("a"), Map.of("k", new TaskRef("b"))), 1.5, "x", true, null,
                Map.of("ref", "a", "other", 1L)), c.args());
        assertEquals(List.of("a", "b"), List.copyOf(c.dependencies()));
    }

    @Test
    void keysDefaultToTasksNothingDependsOn() {
        Graph g = Graph.fromJson(json("""
                {'tasks': {'a': {'fn': 'inc', 'args': [1]}, 'b': {'fn': 'inc', 'args': [{'ref': 'a'}]},
                           'c': {'fn': 'zero'}}}
                """));
        assertEquals(List.of("b", "c"), List.copyOf(g.keys()));
        assertEquals(List.of(), g.task("c").orElseThrow().args());
    }

    @Test
    void integralNumbersAreLongOthersDouble() {
        Graph g = Graph.fromJson(json("{'tasks': {'a': {'fn': 'f', 'args': [3, -7, 1.0, 2.5e3, 9007199254740993]}}}"));
        assertEquals(List.of(3L, -7L, 1.0, 2500.0, 9007199254740993L), g.task("a").orElseThrow().args());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{'tasks': {'b': {'fn': 'f', 'args': [{'ref': 1}]}}}                  | tasks.b.args[0]: \"ref\" must be a string",
        "{'tasks': {'b': {'fn': 'f', 'args': [[0, {'x': {'ref': null}}]]}}}   | tasks.b.args[0][1].x: \"ref\" must be a string",
        "{'keys': []}                                                         | missing \"tasks\"",
        "{'tasks': {}, 'extra': 1}                                            | unknown field \"extra\" (expected one of [\"keys\", \"tasks\"])",
        "{'tasks': []}                                                        | tasks: must be an object of tasks by key",
        "{'tasks': {'a': 1}}                                                  | tasks.a: must be an object",
        "{'tasks': {'a': {'args': []}}}                                       | tasks.a: missing \"fn\"",
        "{'tasks': {'a': {'fn': ''}}}                                         | tasks.a.fn: must be a non-empty string",
        "{'tasks': {'a': {'fn': 3}}}                                          | tasks.a.fn: must be a non-empty string",
        "{'tasks': {'a': {'fn': 'f', 'args': 1}}}                             | tasks.a.args: must be an array",
        "{'tasks': {'a': {'fn': 'f', 'retries': -1}}}                         | tasks.a.retries: must be a non-negative integer",
        "{'tasks': {'a': {'fn': 'f', 'retries': 1.5}}}                        | tasks.a.retries: must be a non-negative integer",
        "{'tasks': {'a': {'fn': 'f', 'retry': 1}}}                            | tasks.a: unknown field \"retry\" (expected one of [\"allowOtherWorkers\", \"args\", \"fn\", \"priority\", \"resources\", \"retries\", \"workers\"])",
        "{'tasks': {'a': {'fn': 'f', 'args': [{'ref': 'zz'}]}}}               | tasks.a.args[0]: unknown task \"zz\"",
        "{'tasks': {'a': {'fn': 'f'}}, 'keys': 'a'}                           | keys: must be an array of task keys",
        "{'tasks': {'a': {'fn': 'f'}}, 'keys': ['a', 2]}                      | keys[1]: must be a string",
        "{'tasks': {'a': {'fn': 'f'}}, 'keys': ['zz']}                        | keys[0]: unknown task \"zz\"",
        "{'tasks': {'a': {'fn': 'f', 'args': [123456789012345678901234567890]}}} | tasks.a.args[0]: integer out of range: 123456789012345678901234567890",
        "{'tasks': {'a': {'fn': 'f', 'args': [{'ref': 'a'}]}}}                | cycle in graph: a -> a",
        "[1, 2]                                                               | a graph must be a JSON object",
    })
    void errorsNameTheJsonPath(String text, String expected) {
        assertEquals(expected, failure(text.strip()));
    }

    @Test
    void invalidJsonSaysWhere() {
        String message = failure("{'tasks': {'a': {'fn': 'f',}}}");
        assertTrue(message.startsWith("invalid JSON: ") && message.contains("line 1, column"), message);

        String duplicate = failure("{'tasks': {'a': {'fn': 'f'}, 'a': {'fn': 'g'}}}");
        assertTrue(duplicate.contains("Duplicate field 'a'"), duplicate);

        assertEquals("a graph must be a JSON object", failure(""));
        assertTrue(failure("{'tasks': {}} {}").startsWith("invalid JSON: "));
        assertEquals("invalid JSON: Unexpected end-of-input: expected close marker for Object (start marker at line 1,"
                + " column 11) (line 1, column 12)", failure("{'tasks': {"));
    }

    @Test
    void readPrefixesErrorsWithTheFile(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("good.json"), json("{'tasks': {'a': {'fn': 'inc', 'args': [1]}}}"));
        assertEquals(List.of("a"), List.copyOf(Graph.read(good).keys()));

        Path bad = Files.writeString(dir.resolve("bad.json"), json("{'tasks': {'a': {}}}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Graph.read(bad));
        assertEquals(bad + ": tasks.a: missing \"fn\"", e.getMessage());

        assertThrows(IOException.class, () -> Graph.read(dir.resolve("missing.json")));
    }

    /** A string past Jackson's limit is refused as the graph size limit, named, not as Jackson's own words. */
    @Test
    void aStringLongerThanTheGraphSizeLimitNamesTheLimit() {
        String huge = "x".repeat(GraphFile.DEFAULT_MAX_STRING_LENGTH + 1);
        String message = assertThrows(IllegalArgumentException.class,
                () -> Graph.fromJson("{\"tasks\": {\"a\": {\"fn\": \"len\", \"args\": [\"" + huge + "\"]}}}"))
                .getMessage();
        assertTrue(message.startsWith("a string in the graph is longer than the graph size limit of 20000000 characters"),
                message);
        assertTrue(message.contains("-Dweft.graph.maxStringLength="), message);
    }

    @Test
    void theGraphSizeLimitIsASystemProperty() {
        String graph = json("{'tasks': {'a': {'fn': 'len', 'args': ['0123456789abc']}}}");
        System.setProperty(GraphFile.MAX_STRING_LENGTH_PROPERTY, "10");
        try {
            String message = assertThrows(IllegalArgumentException.class, () -> Graph.fromJson(graph)).getMessage();
            assertTrue(message.contains("graph size limit of 10 characters"), message);
            System.setProperty(GraphFile.MAX_STRING_LENGTH_PROPERTY, "20");
            assertEquals(List.of("0123456789abc"), Graph.fromJson(graph).task("a").orElseThrow().args());
            System.setProperty(GraphFile.MAX_STRING_LENGTH_PROPERTY, "ten");
            message = assertThrows(IllegalArgumentException.class, () -> Graph.fromJson(graph)).getMessage();
            assertEquals("weft.graph.maxStringLength=ten is not a positive number of characters (the graph size limit)",
                    message);
        } finally {
            System.clearProperty(GraphFile.MAX_STRING_LENGTH_PROPERTY);
        }
    }
}
