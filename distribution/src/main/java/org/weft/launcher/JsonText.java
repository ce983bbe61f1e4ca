package org.weft.launcher;

import java.util.List;
import java.util.stream.Collectors;

/** Lists of strings as JSON text, for framework properties the runtime reads with Jackson. */
final class JsonText {

    private JsonText() {
    }

    static String strings(List<String> values) {
        return values.stream().map(JsonText::string).collect(Collectors.joining(",", "[", "]"));
    }

    static String lists(List<List<String>> lists) {
        return lists.stream().map(JsonText::strings).collect(Collectors.joining(",", "[", "]"));
    }

    static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
