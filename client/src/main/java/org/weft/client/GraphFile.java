package org.weft.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.weft.protocol.TaskRef;

/**
 * The JSON graph format (see {@link Graph#fromJson}), read with Jackson's tree model. Every error
 * names the JSON path of the problem: {@code tasks.b.args[0]: "ref" must be a string}.
 *
 * <p>The graph size limit: no string in a graph (an argument, a key) may be longer than
 * {@value #DEFAULT_MAX_STRING_LENGTH} characters, unless the system property
 * {@value #MAX_STRING_LENGTH_PROPERTY} says otherwise (read at each parse).
 */
final class GraphFile {

    private static final Set<String> TOP_FIELDS = Set.of("tasks", "keys");
    private static final Set<String> TASK_FIELDS = Set.of("fn", "args", "retries", "priority", "workers",
            "allowOtherWorkers", "resources");

    /** The system property that sets the graph size limit: the longest string, in characters. */
    static final String MAX_STRING_LENGTH_PROPERTY = "weft.graph.maxStringLength";
    /** Jackson's own default limit. */
    static final int DEFAULT_MAX_STRING_LENGTH = 20_000_000;

    /** The mapper for the limit in force; rebuilt only when the property changes. */
    private static volatile Mapper mapper = new Mapper(DEFAULT_MAX_STRING_LENGTH);

    private record Mapper(int maxStringLength, ObjectMapper json) {

        Mapper(int maxStringLength) {
            this(maxStringLength, JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build());
            json.getFactory().setStreamReadConstraints(
                    StreamReadConstraints.builder().maxStringLength(maxStringLength).build());
        }
    }

    private GraphFile() {
    }

    /** The graph size limit in force: {@value #MAX_STRING_LENGTH_PROPERTY}, else the default. */
    static int maxStringLength() {
        String value = System.getProperty(MAX_STRING_LENGTH_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_STRING_LENGTH;
        }
        try {
            int limit = Integer.parseInt(value.trim().replace("_", ""));
            if (limit > 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(MAX_STRING_LENGTH_PROPERTY + "=" + value
                + " is not a positive number of characters (the graph size limit)");
    }

    private static ObjectMapper mapper() {
        int limit = maxStringLength();
        Mapper current = mapper;
        if (current.maxStringLength() != limit) {
            current = new Mapper(limit);
            mapper = current;
        }
        return current.json();
    }

    static Graph read(Path file) throws IOException {
        String text = Files.readString(file);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static Graph parse(String json) {
        JsonNode root;
        try {
            root = mapper().readTree(json);
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("a string in the graph is longer than the graph size limit of "
                    + maxStringLength() + " characters" + where(e) + "; raise it with -D" + MAX_STRING_LENGTH_PROPERTY
                    + "=<characters> (bin/weft: in JAVA_OPTS)", e);
        } catch (JsonProcessingException e) {
            String where = where(e);
            // Jackson names a start marker's place as "[Source: REDACTED (...); line: 1, column: 11]"
            String message = e.getOriginalMessage().replaceAll("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]",
                    "line $1, column $2");
            throw new IllegalArgumentException("invalid JSON: " + message + where, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a graph must be a JSON object");
        }
        rejectUnknown(root, TOP_FIELDS, "");
        JsonNode tasks = root.get("tasks");
        if (tasks == null) {
            throw new IllegalArgumentException("missing \"tasks\"");
        }
        if (!tasks.isObject()) {
            throw new IllegalArgumentException("tasks: must be an object of tasks by key");
        }

        Graph.Builder builder = Graph.builder();
        Map<String, String> refPaths = new LinkedHashMap<>(); // path -> referenced key
        for (Iterator<Map.Entry<String, JsonNode>> it = tasks.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            builder.task(task(e.getKey(), e.getValue(), refPaths));
        }
        for (Map.Entry<String, String> ref : refPaths.entrySet()) {
            if (!tasks.has(ref.getValue())) {
                throw new IllegalArgumentException(ref.getKey() + ": unknown task \"" + ref.getValue() + "\"");
            }
        }

        JsonNode keys = root.get("keys");
        if (keys != null) {
            if (!keys.isArray()) {
                throw new IllegalArgumentException("keys: must be an array of task keys");
            }
            Set<String> wanted = new LinkedHashSet<>();
            for (int i = 0; i < keys.size(); i++) {
                JsonNode k = keys.get(i);
                if (!k.isTextual()) {
                    throw new IllegalArgumentException("keys[" + i + "]: must be a string");
                }
                if (!tasks.has(k.textValue())) {
                    throw new IllegalArgumentException("keys[" + i + "]: unknown task \"" + k.textValue() + "\"");
                }
                wanted.add(k.textValue());
            }
            builder.keys(wanted.toArray(String[]::new));
        }
        return builder.build();
    }

    private static org.weft.protocol.TaskSpec task(String key, JsonNode node, Map<String, String> refPaths) {
        String path = "tasks." + key;
        if (key.isEmpty()) {
            throw new IllegalArgumentException("tasks: a task key must not be empty");
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + ": must be an object");
        }
        rejectUnknown(node, TASK_FIELDS, path + ": ");
        JsonNode fn = node.get("fn");
        if (fn == null) {
            throw new IllegalArgumentException(path + ": missing \"fn\"");
        }
        if (!fn.isTextual() || fn.textValue().isBlank()) {
            throw new IllegalArgumentException(path + ".fn: must be a non-empty string");
        }
        List<Object> args = List.of();
        JsonNode argsNode = node.get("args");
        if (argsNode != null) {
            if (!argsNode.isArray()) {
                throw new IllegalArgumentException(path + ".args: must be an array");
            }
            args = list(argsNode, path + ".args", refPaths);
        }
        int retries = 0;
        JsonNode r = node.get("retries");
        if (r != null) {
            if (!r.isIntegralNumber() || !r.canConvertToInt() || r.intValue() < 0) {
                throw new IllegalArgumentException(path + ".retries: must be a non-negative integer");
            }
            retries = r.intValue();
        }
        int priority = 0;
        JsonNode p = node.get("priority");
        if (p != null) {
            if (!p.isIntegralNumber() || !p.canConvertToInt()) {
                throw new IllegalArgumentException(path + ".priority: must be an integer");
            }
            priority = p.intValue();
        }
        Set<String> workers = new java.util.LinkedHashSet<>();
        JsonNode w = node.get("workers");
        if (w != null) {
            if (!w.isArray()) {
                throw new IllegalArgumentException(path + ".workers: must be an array of worker addresses or hosts");
            }
            for (JsonNode e : w) {
                if (!e.isTextual() || e.textValue().isBlank()) {
                    throw new IllegalArgumentException(path + ".workers: must be an array of worker addresses or hosts");
                }
                workers.add(e.textValue());
            }
        }
        boolean loose = false;
        JsonNode l = node.get("allowOtherWorkers");
        if (l != null) {
            if (!l.isBoolean()) {
                throw new IllegalArgumentException(path + ".allowOtherWorkers: must be true or false");
            }
            loose = l.booleanValue();
        }
        Map<String, Double> resources = new java.util.LinkedHashMap<>();
        JsonNode res = node.get("resources");
        if (res != null) {
            if (!res.isObject()) {
                throw new IllegalArgumentException(path + ".resources: must be an object like {\"GPU\": 1}");
            }
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) res::fields) {
                if (!e.getValue().isNumber() || e.getValue().doubleValue() < 0) {
                    throw new IllegalArgumentException(path + ".resources." + e.getKey() + ": must be a number >= 0");
                }
                resources.put(e.getKey(), e.getValue().doubleValue());
            }
        }
        return new org.weft.protocol.TaskSpec(key, fn.textValue(), args, retries, priority, workers, loose, resources);
    }

    private static List<Object> list(JsonNode array, String path, Map<String, String> refPaths) {
        List<Object> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(value(array.get(i), path + "[" + i + "]", refPaths));
        }
        return Collections.unmodifiableList(out);
    }

    private static Object value(JsonNode node, String path, Map<String, String> refPaths) {
        switch (node.getNodeType()) {
            case NULL:
                return null;
            case BOOLEAN:
                return node.booleanValue();
            case STRING:
                return node.textValue();
            case NUMBER:
                if (node.isIntegralNumber()) {
                    if (!node.canConvertToLong()) {
                        throw new IllegalArgumentException(path + ": integer out of range: " + node.asText());
                    }
                    return node.longValue();
                }
                return node.doubleValue();
            case ARRAY:
                return list(node, path, refPaths);
            case OBJECT:
                if (node.size() == 1 && node.has("ref")) {
                    JsonNode ref = node.get("ref");
                    if (!ref.isTextual()) {
                        throw new IllegalArgumentException(path + ": \"ref\" must be a string");
                    }
                    refPaths.put(path, ref.textValue());
                    return new TaskRef(ref.textValue());
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(e.getKey(), value(e.getValue(), path + "." + e.getKey(), refPaths));
                }
                return Collections.unmodifiableMap(map);
            default:
                throw new IllegalArgumentException(path + ": unsupported JSON value " + node.getNodeType());
        }
    }

    private static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static void rejectUnknown(JsonNode object, Set<String> known, String prefix) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException(prefix + "unknown field \"" + name + "\" (expected one of "
                        + known.stream().sorted().map(k -> "\"" + k + "\"").toList() + ")");
            }
        }
    }
}
