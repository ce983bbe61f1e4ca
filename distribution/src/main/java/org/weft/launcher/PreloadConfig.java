package org.weft.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The preloads configured per role in {@code etc/preload.properties} (Dask's
 * {@code distributed.<role>.preload} and {@code preload-argv}):
 * <pre>
 * scheduler.preload.1 = /opt/weft/scheduler-setup.jar
 * scheduler.preload-argv.1 = --print-count
 * scheduler.preload.2 = System.setProperty("A", "b");
 * worker.preload.1 = com.example.WorkerSetup
 * </pre>
 * Preloads run in the order of their numbers; a preload's arguments are split at spaces, with
 * '...' or "..." around an argument that holds spaces.
 */
final class PreloadConfig {

    static final String FILE = "preload.properties";
    static final Set<String> ROLES = Set.of("scheduler", "worker", "nanny", "client");
    private static final Pattern KEY = Pattern.compile("([a-z]+)\\.(preload|preload-argv)\\.(\\d+)");

    /** Per role, per number: the preload and its arguments. */
    private final Map<String, TreeMap<Integer, String>> preloads = new TreeMap<>();
    private final Map<String, TreeMap<Integer, List<String>>> argv = new TreeMap<>();

    private PreloadConfig() {
    }

    /**
     * The installation's configuration ({@code weft.home}/etc).
     *
     * @throws picocli.CommandLine.ParameterException when the file cannot be read or is not understood
     */
    static PreloadConfig forCommand(picocli.CommandLine.Model.CommandSpec spec) {
        try {
            return read(WeftHome.fromSystemProperty().etc());
        } catch (IOException | IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static PreloadConfig empty() {
        return new PreloadConfig();
    }

    /**
     * @throws IllegalArgumentException naming the file and the key when a line is not understood
     */
    static PreloadConfig read(Path etc) throws IOException {
        Path file = etc.resolve(FILE);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            return empty();
        }
        PreloadConfig config = new PreloadConfig();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = KEY.matcher(key.strip());
            if (!m.matches() || !ROLES.contains(m.group(1))) {
                throw new IllegalArgumentException(file + ": unknown key '" + key + "'; keys are ROLE.preload.N and"
                        + " ROLE.preload-argv.N, ROLE one of scheduler, worker, nanny, client");
            }
            int number = Integer.parseInt(m.group(3));
            String value = properties.getProperty(key).strip();
            if (m.group(2).equals("preload")) {
                config.preloads.computeIfAbsent(m.group(1), r -> new TreeMap<>()).put(number, value);
            } else {
                config.argv.computeIfAbsent(m.group(1), r -> new TreeMap<>()).put(number, split(file, key, value));
            }
        }
        for (Map.Entry<String, TreeMap<Integer, List<String>>> role : config.argv.entrySet()) {
            for (int number : role.getValue().keySet()) {
                if (!config.preloads.getOrDefault(role.getKey(), new TreeMap<>()).containsKey(number)) {
                    throw new IllegalArgumentException(file + ": " + role.getKey() + ".preload-argv." + number
                            + " has no " + role.getKey() + ".preload." + number);
                }
            }
        }
        return config;
    }

    /** The role's preloads, in order. */
    List<String> preloads(String role) {
        return List.copyOf(preloads.getOrDefault(role, new TreeMap<>()).values());
    }

    /** The role's arguments, one list per preload (empty where none is given). */
    List<List<String>> argv(String role) {
        List<List<String>> lists = new ArrayList<>();
        TreeMap<Integer, List<String>> given = argv.getOrDefault(role, new TreeMap<>());
        for (int number : preloads.getOrDefault(role, new TreeMap<>()).keySet()) {
            lists.add(given.getOrDefault(number, List.of()));
        }
        return lists;
    }

    /** Splits at spaces; '...' and "..." keep spaces inside one argument. */
    static List<String> split(Path file, String key, String value) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : value.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException(file + ": " + key + " has an unclosed " + quote + " in: " + value);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
