package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user types at the console of {@code bin/weft local}: install the counter plugin with
 * {@code install -s}, run a graph, update the plugin to v2, run again, uninstall it — on one
 * running cluster, with no restart.
 */
class HotPluginConsoleIT {

    @TempDir
    Path dir;

    @Test
    void installUpdateUninstallFromTheConsole() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        Path plugins = Path.of(System.getProperty("weft.testPlugins", "target/test-plugins"));
        String v1 = plugins.resolve("weft-example-counter-plugin.jar").toUri().toString();
        String v2 = plugins.resolve("weft-example-counter-plugin-v2.jar").toUri().toString();
        Path graph = weft.workDir().resolve("graph.json");
        Files.writeString(graph, "{\"tasks\": {\"a\": {\"fn\": \"inc\", \"args\": [1]}, "
                + "\"b\": {\"fn\": \"add\", \"args\": [{\"ref\": \"a\"}, 10]}}, \"keys\": [\"b\"]}");
        long id = nextBundleId(weft.home());

        String script = String.join("\n",
                "install -s " + v1,
                "weft:submit graph.json",
                "echo v1-count (counter:count) v1-version (counter:version)",
                "update " + id + " " + v2,
                "weft:submit graph.json",
                "echo v2-count (counter:count) v2-version (counter:version)",
                "weft:plugins",
                "uninstall " + id,
                "weft:plugins",
                "");
        WeftInstall.Finished result = weft.run(script, "local", "--workers", "2");

        String out = result.stdout();
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(out.contains("Bundle ID: " + id), result.all());
        assertEquals(2, count(out, "b = 12"), result.all());
        assertTrue(out.contains("v1-count 2 v1-version 1"), "v1 counted a and b: " + result.all());
        assertTrue(out.contains("v2-count 2 v2-version 2"), "v2 counted the second run only: " + result.all());
        assertTrue(Pattern.compile("(?m)^counter\\s+scheduler\\s+scheduler\\s+org\\.weft\\.examples\\.counter\\s+2\\.0\\.0\\s+ACTIVE")
                .matcher(out).find(), result.all());
        assertTrue(Pattern.compile("(?m)^counter\\s+.*\\s2\\.0\\.0\\s+CLOSED").matcher(out).find(),
                "uninstall closed v2: " + result.all());
        assertFalse(out.contains("Exception"), result.all());
    }

    /** In a fresh runtime the next bundle id follows the system bundle and every jar under bundle/ and plugins/. */
    private static long nextBundleId(Path home) throws Exception {
        try (Stream<Path> jars = Stream.concat(Files.walk(home.resolve("bundle")), Files.walk(home.resolve("plugins")))) {
            return jars.filter(p -> p.toString().endsWith(".jar")).count() + 1;
        }
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
