package org.weft.preload;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A node's preloads as {@code bin/weft} hands them to the runtime, in framework properties: the
 * preloads as a JSON array of strings, their arguments as a JSON array of strings (the command
 * line's extra arguments, for every preload) or of arrays of strings (one per preload, from
 * {@code etc/preload.properties}).
 *
 * @param preloads each preload as named
 * @param argv their arguments
 */
public record PreloadSettings(List<String> preloads, PreloadArgv argv) {

    /** The preloads of this process's node (scheduler or worker). */
    public static final String PRELOAD = "weft.preload";
    public static final String PRELOAD_ARGV = "weft.preload.argv";
    /** The preloads of a worker's nanny ({@code bin/weft worker --preload-nanny}). */
    public static final String NANNY_PRELOAD = "weft.nanny.preload";
    public static final String NANNY_PRELOAD_ARGV = "weft.nanny.preload.argv";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static PreloadSettings none() {
        return new PreloadSettings(List.of(), PreloadArgv.none());
    }

    /**
     * @param properties the framework properties (absent: null)
     * @throws PreloadException when a value is not the JSON expected
     */
    public static PreloadSettings read(Function<String, String> properties, String preloadKey, String argvKey)
            throws PreloadException {
        List<String> preloads = strings(preloadKey, properties.apply(preloadKey));
        String argvText = properties.apply(argvKey);
        JsonNode argv = parse(argvKey, argvText);
        if (argv == null || argv.isEmpty()) {
            return new PreloadSettings(preloads, PreloadArgv.none());
        }
        if (argv.get(0).isArray()) {
            List<List<String>> lists = new ArrayList<>();
            for (JsonNode list : argv) {
                lists.add(strings(argvKey, list));
            }
            return new PreloadSettings(preloads, PreloadArgv.perPreload(lists));
        }
        return new PreloadSettings(preloads, PreloadArgv.flat(strings(argvKey, argv)));
    }

    private static List<String> strings(String key, String text) throws PreloadException {
        JsonNode node = parse(key, text);
        return node == null ? List.of() : strings(key, node);
    }

    private static List<String> strings(String key, JsonNode array) throws PreloadException {
        if (!array.isArray()) {
            throw new PreloadException(key + " must be a JSON array of strings, was " + array);
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            if (!value.isTextual()) {
                throw new PreloadException(key + " must be a JSON array of strings, has " + value);
            }
            values.add(value.textValue());
        }
        return values;
    }

    private static JsonNode parse(String key, String text) throws PreloadException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (!node.isArray()) {
                throw new PreloadException(key + " must be a JSON array, was " + text);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new PreloadException(key + " is not JSON: " + e.getOriginalMessage());
        }
    }
}
