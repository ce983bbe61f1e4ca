package org.weft.dashboard;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, independent of the client that
 * wrote it: every line must be a HELP, a TYPE, another comment, a blank line or a sample; names
 * and label names must be valid; label values may only use the three escapes; each family's TYPE
 * comes before its samples, at most once; a family's samples are contiguous; a series (name and
 * labels) appears once; values are floats (or NaN, +Inf, -Inf). Throws {@link IllegalArgumentException}
 * naming the line otherwise.
 */
final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final List<String> SUFFIXES = List.of("", "_total", "_created", "_bucket", "_count", "_sum");

    /** One sample: its labels (sorted) and value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        PrometheusText out = new PrometheusText();
        Set<String> help = new HashSet<>();
        Set<String> closedFamilies = new HashSet<>();
        Set<String> series = new HashSet<>();
        Set<String> sampled = new HashSet<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "': ";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && ("HELP".equals(parts[1]) || "TYPE".equals(parts[1]))) {
                    String family = parts[2];
                    check(NAME, family, where + "bad metric name");
                    if ("HELP".equals(parts[1]) && !help.add(family)) {
                        throw new IllegalArgumentException(where + "a second HELP for " + family);
                    }
                    if ("TYPE".equals(parts[1])) {
                        if (parts.length != 4 || !TYPES.contains(parts[3])) {
                            throw new IllegalArgumentException(where + "bad TYPE");
                        }
                        if (out.types.put(family, parts[3]) != null) {
                            throw new IllegalArgumentException(where + "a second TYPE for " + family);
                        }
                        if (sampled.contains(family)) {
                            throw new IllegalArgumentException(where + "TYPE after samples of " + family);
                        }
                    }
                    if (currentFamily != null && !currentFamily.equals(family)) {
                        closedFamilies.add(currentFamily);
                    }
                    currentFamily = family;
                }
                continue;
            }
            Sample sample = sample(line, where);
            String family = out.familyOf(sample.name());
            String key = family == null ? sample.name() : family;
            if (currentFamily != null && !currentFamily.equals(key)) {
                closedFamilies.add(currentFamily);
            }
            if (closedFamilies.contains(key)) {
                throw new IllegalArgumentException(where + "samples of " + key + " are not contiguous");
            }
            currentFamily = key;
            sampled.add(key);
            if (!series.add(sample.name() + sample.labels())) {
                throw new IllegalArgumentException(where + "the same series twice");
            }
            out.samples.add(sample);
        }
        return out;
    }

    /** The TYPE'd family a sample name belongs to, or null. */
    private String familyOf(String sampleName) {
        for (String suffix : SUFFIXES) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    private static Sample sample(String line, String where) {
        Matcher name = NAME.matcher(line);
        if (!name.lookingAt()) {
            throw new IllegalArgumentException(where + "no metric name");
        }
        int at = name.end();
        Map<String, String> labels = new TreeMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                Matcher label = LABEL_NAME.matcher(line).region(at, line.length());
                if (!label.lookingAt() || line.charAt(label.end()) != '=' || line.charAt(label.end() + 1) != '"') {
                    throw new IllegalArgumentException(where + "bad label at " + at);
                }
                StringBuilder value = new StringBuilder();
                int j = label.end() + 2;
                for (;; j++) {
                    char c = line.charAt(j);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        value.append(switch (e) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new IllegalArgumentException(where + "bad escape \\" + e);
                        });
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label.group(), value.toString()) != null) {
                    throw new IllegalArgumentException(where + "label " + label.group() + " twice");
                }
                at = j + 1;
                if (line.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
        }
        if (at >= line.length() || line.charAt(at) != ' ') {
            throw new IllegalArgumentException(where + "no space before the value");
        }
        String[] rest = line.substring(at + 1).split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException(where + "too many fields");
        }
        double value = switch (rest[0]) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(rest[0]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + "bad value");
                }
            }
        };
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "bad timestamp");
            }
        }
        return new Sample(name.group(), labels, value);
    }

    private static void check(Pattern pattern, String text, String message) {
        if (!pattern.matcher(text).matches()) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The value of the one sample of this name whose labels include {@code labels} (name, value pairs). */
    double value(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name().equals(name) && matches(s.labels(), labels)) {
                found.add(s);
            }
        }
        if (found.size() != 1) {
            throw new IllegalArgumentException(found.size() + " samples " + name + " " + List.of(labels));
        }
        return found.get(0).value();
    }

    /** Every sample of this name. */
    List<Sample> all(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    private static boolean matches(Map<String, String> have, String... want) {
        for (int i = 0; i + 1 < want.length; i += 2) {
            if (!want[i + 1].equals(have.get(want[i]))) {
                return false;
            }
        }
        return true;
    }
}
