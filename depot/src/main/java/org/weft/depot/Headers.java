package org.weft.depot;

import java.util.ArrayList;
import java.util.List;

/** Splits OSGi manifest headers: clauses at commas and parts at semicolons, never inside quotes. */
final class Headers {

    private Headers() {
    }

    static List<String> clauses(String header) {
        return split(header, ',');
    }

    static List<String> parts(String clause) {
        return split(clause, ';');
    }

    /** A Service-Component entry without attributes. */
    static String path(String clause) {
        return parts(clause).get(0).trim();
    }

    static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1)
                : value;
    }

    private static List<String> split(String text, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < text.length()) {
                part.append(c).append(text.charAt(++i));
                continue;
            } else if (c == separator && !quoted) {
                out.add(part.toString().trim());
                part.setLength(0);
                continue;
            }
            part.append(c);
        }
        out.add(part.toString().trim());
        out.removeIf(String::isEmpty);
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }
}
