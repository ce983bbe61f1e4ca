package org.weft.plugins.resourcemonitor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per key prefix (Dask's task prefix): how many tasks ran, their total and mean running time
 * (executing plus long-running), the longest, errors and result bytes. Ordered by total time,
 * which also gives each prefix its colour.
 */
final class PrefixStats {

    /** One prefix's figures. */
    static final class Row {
        final String prefix;
        long tasks;
        long totalMicros;
        long maxMicros;
        long errors;
        long nbytes;

        Row(String prefix) {
            this.prefix = prefix;
        }

        double meanMicros() {
            return tasks == 0 ? 0 : (double) totalMicros / tasks;
        }
    }

    private final List<Row> rows;
    private final Map<String, Integer> order = new HashMap<>();

    PrefixStats(List<ProfileData.Worker> workers) {
        Map<String, Row> byPrefix = new HashMap<>();
        for (ProfileData.Worker w : workers) {
            for (TaskSpan s : w.spans()) {
                if (!s.phase().onThread()) {
                    continue;
                }
                Row r = byPrefix.computeIfAbsent(KeyPrefix.of(s.key()), Row::new);
                if (s.phase() == TaskSpan.Phase.EXECUTING) {
                    r.tasks++;
                }
                r.totalMicros += s.durationMicros();
                r.maxMicros = Math.max(r.maxMicros, s.durationMicros());
                if (s.error() != null) {
                    r.errors++;
                }
                if (s.nbytes() > 0) {
                    r.nbytes += s.nbytes();
                }
            }
        }
        rows = new ArrayList<>(byPrefix.values());
        rows.sort((a, b) -> a.totalMicros != b.totalMicros ? Long.compare(b.totalMicros, a.totalMicros)
                : a.prefix.compareTo(b.prefix));
        for (int i = 0; i < rows.size(); i++) {
            order.put(rows.get(i).prefix, i);
        }
    }

    List<Row> rows() {
        return rows;
    }

    /** The prefix's index, which picks its colour; -1 if unknown. */
    int index(String prefix) {
        return order.getOrDefault(prefix, -1);
    }

    String table() {
        StringBuilder b = new StringBuilder("<table class=\"prefixes\"><thead><tr><th>prefix</th><th>tasks</th>"
                + "<th>total s</th><th>mean ms</th><th>max ms</th><th>errors</th><th>result bytes</th></tr></thead><tbody>\n");
        for (Row r : rows) {
            b.append("<tr><td><i style=\"background:").append(Html.colour(index(r.prefix))).append("\"></i>")
                    .append(Html.escape(r.prefix)).append("</td><td>").append(r.tasks).append("</td><td>")
                    .append(String.format(java.util.Locale.ROOT, "%.3f", r.totalMicros / 1e6)).append("</td><td>")
                    .append(String.format(java.util.Locale.ROOT, "%.3f", r.meanMicros() / 1e3)).append("</td><td>")
                    .append(String.format(java.util.Locale.ROOT, "%.3f", r.maxMicros / 1e3)).append("</td><td>")
                    .append(r.errors).append("</td><td>").append(Html.escape(Html.bytes(r.nbytes))).append("</td></tr>\n");
        }
        return b.append("</tbody></table>\n").toString();
    }
}
