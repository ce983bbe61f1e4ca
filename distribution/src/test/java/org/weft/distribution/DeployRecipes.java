package org.weft.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deployment recipes of {@code deploy/} as text, and the {@code bin/weft} command lines they
 * run, read out of them: from a shell script or a shell command in a manifest, from a systemd
 * unit's {@code ExecStart=} (with its environment file), or given as a list. Every {@code $...}
 * expansion must have a sample value (given by the caller); one without fails loudly, so a recipe
 * cannot grow an option that escapes the checks.
 */
final class DeployRecipes {

    /** Where a {@code bin/weft} command line was found, and its arguments from the role on. */
    record Invocation(String where, List<String> args) {
        String role() {
            return args.get(0);
        }

        @Override
        public String toString() {
            return where + ": weft " + String.join(" ", args);
        }
    }

    /** How a command line starts: bin/weft (any path), or a shell variable holding it. */
    private static final Pattern START = Pattern.compile("(?:\\S*bin/weft|\"\\$weft\"|\"\\$0\")\\s+(scheduler|worker|submit)\\b");

    private DeployRecipes() {
    }

    /** The deploy/ folder of the source tree (the tests run in distribution/). */
    static Path dir() {
        return Path.of(System.getProperty("weft.deploy.dir", "../deploy")).toAbsolutePath().normalize();
    }

    static String read(String relative) {
        try {
            return Files.readString(dir().resolve(relative));
        } catch (IOException e) {
            throw new AssertionError("cannot read deploy/" + relative + ": " + e, e);
        }
    }

    /**
     * Every {@code bin/weft ROLE ...} command line in shell text: logical lines (a backslash at a
     * line's end joins the next), each command ending at an unquoted {@code &}, {@code ;},
     * {@code |}, redirection, comment, or the {@code '} that closes an enclosing {@code bash -c}
     * script. Comment lines are skipped.
     *
     * @param samples the words each {@code $...} expansion stands for
     */
    static List<Invocation> fromShell(String where, String text, Map<String, List<String>> samples) {
        List<Invocation> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int first = i;
            StringBuilder logical = new StringBuilder(lines[i]);
            while (logical.toString().endsWith("\\") && i + 1 < lines.length) {
                logical.setLength(logical.length() - 1);
                logical.append(' ').append(lines[++i].strip());
            }
            String line = logical.toString();
            if (line.strip().startsWith("#")) {
                continue;
            }
            Matcher m = START.matcher(line);
            while (m.find()) {
                List<String> args = words(line.substring(m.start(1)), expr -> {
                    List<String> sample = samples.get(expr);
                    if (sample == null) {
                        throw new AssertionError(where + " line " + (first + 1) + ": no sample value for " + expr
                                + " (give one in the test) in: " + line.strip());
                    }
                    return sample;
                });
                found.add(new Invocation(where + " line " + (first + 1), args));
            }
        }
        return found;
    }

    /**
     * The command line of each {@code ExecStart=} of a systemd unit: specifiers replaced from
     * {@code specifiers} ({@code %H}, {@code %i}), {@code ${VAR}} one word and {@code $VAR} split at
     * spaces, from {@code env} (the unit's EnvironmentFile), as systemd does.
     */
    static List<Invocation> fromUnit(String where, String unit, Map<String, String> specifiers, Map<String, String> env) {
        String text = unit;
        for (Map.Entry<String, String> s : specifiers.entrySet()) {
            text = text.replace(s.getKey(), s.getValue());
        }
        List<String> execs = text.lines().filter(l -> l.startsWith("ExecStart=")).map(l -> l.substring("ExecStart=".length())).toList();
        List<Invocation> found = new ArrayList<>();
        for (String exec : execs) {
            Map<String, List<String>> samples = new LinkedHashMap<>();
            env.forEach((k, v) -> {
                samples.put("${" + k + "}", List.of(v));
                samples.put("$" + k, v.isBlank() ? List.of() : List.of(v.strip().split("\\s+")));
            });
            found.addAll(fromShell(where + " ExecStart", exec, samples));
        }
        return found;
    }

    /** {@code KEY=value} lines of an environment file (no quotes, as the recipes write them). */
    static Map<String, String> environmentFile(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(l -> {
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new AssertionError("not KEY=value: " + l);
            }
            env.put(l.substring(0, eq), l.substring(eq + 1));
        });
        return env;
    }

    /**
     * Splits shell text into words as sh would: quotes, backslashes, and each {@code $NAME},
     * {@code ${...}}, {@code $(...)} or {@code $@} replaced by {@code expand}'s words (joined into
     * one word where quoted or glued to other text); stops at the end of the command.
     */
    static List<String> words(String text, Function<String, List<String>> expand) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean doubleQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!doubleQuoted && (c == ' ' || c == '\t')) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (!doubleQuoted && (c == '&' || c == ';' || c == '|' || c == '>' || c == '<' || c == '#' || c == '\'' || c == ')')) {
                if (c == '>' && word != null && word.toString().matches("\\d")) {
                    word = null; // 2> and the like: a redirection, not an argument
                }
                break;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '"') {
                doubleQuoted = !doubleQuoted;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
            } else if (c == '$') {
                int end = expansionEnd(text, i);
                String expr = text.substring(i, end);
                List<String> values = expand.apply(expr);
                boolean alone = !doubleQuoted && word.length() == 0 && (end == text.length() || " \t".indexOf(text.charAt(end)) >= 0);
                boolean arrayInQuotes = doubleQuoted && word.length() == 0 && (expr.equals("$@") || expr.endsWith("[@]}"))
                        && end < text.length() && text.charAt(end) == '"';
                if ((alone || arrayInQuotes) && values.size() != 1) {
                    words.addAll(values); // split (or "$@"): as many words as values
                    word = null;
                    if (arrayInQuotes) {
                        doubleQuoted = false;
                        end++; // the closing quote
                    }
                } else {
                    word.append(String.join(" ", values));
                }
                i = end - 1;
            } else {
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /** Where the expansion starting at {@code text[start] == '$'} ends (exclusive). */
    private static int expansionEnd(String text, int start) {
        int i = start + 1;
        if (i >= text.length()) {
            return i;
        }
        char c = text.charAt(i);
        if (c == '{' || c == '(') {
            char close = c == '{' ? '}' : ')';
            int depth = 0;
            for (; i < text.length(); i++) {
                char d = text.charAt(i);
                if (d == c) {
                    depth++;
                } else if (d == close && --depth == 0) {
                    return i + 1;
                }
            }
            throw new AssertionError("unclosed " + c + " in: " + text);
        }
        if (c == '@' || Character.isDigit(c)) {
            return i + 1;
        }
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
            i++;
        }
        return i;
    }
}
