package org.weft.plugins.resourcemonitor;

import java.util.Locale;

/** Escaping and number formats for the HTML report. */
final class Html {

    /** Tableau's ten categorical colours: prefixes and series take them in turn. */
    static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac"};

    private Html() {
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String colour(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** A value in its unit, short: {@code 1.5 GiB}, {@code 12 MiB/s}, {@code 37 %}, {@code 120}. */
    static String value(double v, String unit) {
        return switch (unit) {
            case "bytes" -> bytes(v);
            case "bytes/s" -> bytes(v) + "/s";
            case "count" -> trim(v);
            default -> trim(v) + " " + unit;
        };
    }

    static String bytes(double v) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        double x = v;
        while (Math.abs(x) >= 1024 && i < units.length - 1) {
            x /= 1024;
            i++;
        }
        return trim(x) + " " + units[i];
    }

    static String trim(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.0f" : "%.2g", v);
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, s >= 100 ? "%.0f" : s >= 10 ? "%.1f" : "%.2f", s);
    }
}
