package org.weft.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.preload.PreloadSettings;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

class PreloadConfigTest {

    @TempDir
    Path etc;

    private PreloadConfig write(String text) throws Exception {
        Files.writeString(etc.resolve(PreloadConfig.FILE), text);
        return PreloadConfig.read(etc);
    }

    @Test
    void preloadsPerRoleInTheOrderOfTheirNumbersWithTheirArguments() throws Exception {
        PreloadConfig config = write("""
                scheduler.preload.10 = third.jar
                scheduler.preload.2 = System.setProperty("A", "b");
                scheduler.preload.1 = /opt/first.jar
                scheduler.preload-argv.1 = --print-count --label 'two words' "x y"
                worker.preload.1 = com.example.WorkerSetup
                """);
        assertEquals(List.of("/opt/first.jar", "System.setProperty(\"A\", \"b\");", "third.jar"), config.preloads("scheduler"));
        assertEquals(List.of(List.of("--print-count", "--label", "two words", "x y"), List.of(), List.of()), config.argv("scheduler"));
        assertEquals(List.of("com.example.WorkerSetup"), config.preloads("worker"));
        assertEquals(List.of(), config.preloads("nanny"));
        assertEquals(List.of(), PreloadConfig.read(etc.resolve("missing")).preloads("scheduler"), "no file, no preloads");
    }

    @Test
    void keysItDoesNotUnderstandAreNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> write("schedular.preload.1 = x.jar\n"));
        assertTrue(unknown.getMessage().contains("unknown key 'schedular.preload.1'"), unknown.getMessage());
        IllegalArgumentException orphan = assertThrows(IllegalArgumentException.class,
                () -> write("worker.preload.1 = x.jar\nworker.preload-argv.2 = -v\n"));
        assertTrue(orphan.getMessage().endsWith("worker.preload-argv.2 has no worker.preload.2"), orphan.getMessage());
        IllegalArgumentException quote = assertThrows(IllegalArgumentException.class,
                () -> write("worker.preload.1 = x.jar\nworker.preload-argv.1 = --name 'open\n"));
        assertTrue(quote.getMessage().contains("unclosed '"), quote.getMessage());
    }

    @Command(name = "test")
    static final class Host {
        @Mixin
        PreloadOptions preload;

        @Unmatched
        List<String> extra = new ArrayList<>();
    }

    private static Map<String, String> properties(PreloadConfig config, String... args) {
        Host host = new Host();
        new CommandLine(host).parseArgs(args);
        String problem = host.preload.problem(config, "scheduler", host.extra);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        host.preload.putInto(properties, config, "scheduler");
        return properties;
    }

    /** What the launcher writes is what the runtime reads (PreloadSettings, in the scheduler's framework). */
    private static PreloadSettings runtimeReads(Map<String, String> properties) throws Exception {
        return PreloadSettings.read(properties::get, PreloadSettings.PRELOAD, PreloadSettings.PRELOAD_ARGV);
    }

    @Test
    void theCommandLineReplacesTheConfiguredPreloadsAndItsExtraOptionsTheirArguments() throws Exception {
        PreloadConfig config = write("scheduler.preload.1 = conf.jar\nscheduler.preload-argv.1 = --label conf\n");
        PreloadSettings configured = runtimeReads(properties(config));
        assertEquals(List.of("conf.jar"), configured.preloads());
        assertEquals("[[--label, conf]]", configured.argv().toString());

        PreloadSettings extra = runtimeReads(properties(config, "--print-count"));
        assertEquals(List.of("conf.jar"), extra.preloads());
        assertEquals("[--print-count]", extra.argv().toString());

        String snippet = "System.out.println(\"a \\\\ \\\"quoted\\\"\\n\ttab\");";
        PreloadSettings given = runtimeReads(properties(config, "--preload", "cli.jar", "--preload", snippet, "--print-count"));
        assertEquals(List.of("cli.jar", snippet), given.preloads(), "any text survives the trip");
        assertEquals("[--print-count]", given.argv().toString());

        assertEquals(Map.of(), properties(PreloadConfig.empty()), "no preloads, no properties");
    }

    @Test
    void extraOptionsWithNoPreloadAreUnknownOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> properties(PreloadConfig.empty(), "--print-count"));
        assertTrue(e.getMessage().startsWith("Unknown option: '--print-count'"), e.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> properties(PreloadConfig.empty(), "--preload", " "));
        assertTrue(empty.getMessage().startsWith("--preload must not be empty"), empty.getMessage());
    }
}
