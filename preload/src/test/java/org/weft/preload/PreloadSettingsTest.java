package org.weft.preload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PreloadSettingsTest {

    private static PreloadSettings read(Map<String, String> properties) throws PreloadException {
        return PreloadSettings.read(properties::get, PreloadSettings.PRELOAD, PreloadSettings.PRELOAD_ARGV);
    }

    @Test
    void noPropertiesNoPreloads() throws Exception {
        PreloadSettings settings = read(Map.of());
        assertEquals(List.of(), settings.preloads());
        assertTrue(settings.argv().isEmpty());
    }

    @Test
    void flatArgumentsFromTheCommandLineAndListsFromTheConfiguration() throws Exception {
        PreloadSettings flat = read(Map.of("weft.preload", "[\"a.jar\",\"System.out.println(\\\"hi\\\");\"]",
                "weft.preload.argv", "[\"--print-count\"]"));
        assertEquals(List.of("a.jar", "System.out.println(\"hi\");"), flat.preloads());
        assertEquals("[--print-count]", flat.argv().toString());
        PreloadSettings lists = read(Map.of("weft.preload", "[\"a.jar\",\"b.jar\"]",
                "weft.preload.argv", "[[],[\"--option\",\"value\"]]"));
        assertEquals("[[], [--option, value]]", lists.argv().toString());
    }

    @Test
    void malformedValuesAreNamed() {
        PreloadException notJson = assertThrows(PreloadException.class, () -> read(Map.of("weft.preload", "[a.jar")));
        assertTrue(notJson.getMessage().startsWith("weft.preload is not JSON"), notJson.getMessage());
        PreloadException notStrings = assertThrows(PreloadException.class, () -> read(Map.of("weft.preload", "[1]")));
        assertEquals("weft.preload must be a JSON array of strings, has 1", notStrings.getMessage());
    }
}
