package org.weft.plugins.resourcemonitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a recording as one self-contained HTML file: plots per node (CPU, memory, and every other
 * sampled unit), the task stream, and the table of task prefixes. Everything is inline SVG and CSS;
 * there is no script, and the page's Content-Security-Policy forbids loading anything, so it
 * opens the same offline, from a mail attachment or a shared drive.
 */
final class ReportWriter {

    /** Plot order and titles per unit; other units follow in the order first sampled. */
    private static final Map<String, String> TITLES = new LinkedHashMap<>();

    static {
        TITLES.put("%", "CPU and GC (process: % of one core; system: % of all cores)");
        TITLES.put("bytes", "Memory");
        TITLES.put("bytes/s", "Network and disk");
        TITLES.put("count", "Threads, open files, tasks");
    }

    private ReportWriter() {
    }

    static void write(ProfileData data, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, html(data), StandardCharsets.UTF_8);
    }

    static String html(ProfileData data) {
        PrefixStats prefixes = new PrefixStats(data.workers());
        StringBuilder b = new StringBuilder(1 << 16);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>Weft profile: ").append(Html.escape(data.processName())).append("</title>\n")
                .append("<style>").append(STYLE).append("</style></head><body>\n");
        b.append("<h1>Weft profile</h1>\n<p class=\"summary\">")
                .append(Html.escape(data.processName())).append(" · from ")
                .append(Instant.ofEpochMilli(data.startedMicros() / 1000)).append(", ")
                .append(Html.seconds(data.durationMicros() / 1e6)).append(" s")
                .append(data.running() ? " (still recording)" : "").append(" · ")
                .append(data.workers().size()).append(" worker(s) · ").append(prefixes.rows().stream()
                        .mapToLong(r -> r.tasks).sum()).append(" task(s) · sampled every ")
                .append(data.settings().intervalMillis()).append(" ms</p>\n");
        List<String> notes = new ArrayList<>();
        if (data.droppedSpans() > 0) {
            notes.add(data.droppedSpans() + " older task phases were dropped (at most "
                    + data.settings().maxTraceEvents() + " kept per worker)");
        }
        if (data.droppedSamples() > 0) {
            notes.add(data.droppedSamples() + " older samples were dropped (at most " + data.settings().maxSamples()
                    + " kept per metric)");
        }
        notes.addAll(data.sources());
        for (String n : notes) {
            b.append("<p class=\"note\">").append(Html.escape(n)).append("</p>\n");
        }
        b.append("<h2>Task stream</h2>\n");
        if (prefixes.rows().isEmpty()) {
            b.append("<p>No task ran while recording").append(data.settings().trace() ? "" : " (the trace was off)")
                    .append(".</p>\n");
        } else {
            b.append(TaskStream.draw(data, prefixes));
        }
        b.append("<h2>Task prefixes</h2>\n").append(prefixes.table());
        for (ProfileData.Node node : data.nodes()) {
            b.append("<section class=\"node\"><h2>").append(node.kind() == NodeSeries.Kind.PROCESS ? "Process " : "Worker ")
                    .append(Html.escape(node.name())).append("</h2>\n");
            Map<String, List<TimeSeries.Points>> byUnit = new LinkedHashMap<>();
            TITLES.keySet().forEach(u -> byUnit.put(u, new ArrayList<>()));
            for (TimeSeries.Points p : node.series()) {
                byUnit.computeIfAbsent(p.unit(), u -> new ArrayList<>()).add(p);
            }
            byUnit.forEach((unit, series) -> {
                if (!series.isEmpty()) {
                    String title = TITLES.getOrDefault(unit, unit);
                    b.append(SvgChart.draw(title, unit, series, data.startedMicros(), data.endMicros()));
                }
            });
            b.append("</section>\n");
        }
        b.append(String.format(Locale.ROOT, "<footer>Written by Weft's resource monitor at %s.</footer>\n", Instant.now()));
        return b.append("</body></html>\n").toString();
    }

    private static final String STYLE = "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
            + "h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.2em 0 .4em}"
            + ".summary{color:#555}.note{background:#fff6d6;padding:.3em .6em;margin:.3em 0}"
            + "figure{margin:.4em 0 1em}figcaption{font-weight:600;margin-bottom:.2em}"
            + "svg{display:block;background:#fff}.frame{fill:none;stroke:#999}.grid{stroke:#e4e4e4}"
            + ".ytick{font-size:11px;text-anchor:end;fill:#555}.xtick{font-size:11px;text-anchor:middle;fill:#555}"
            + ".series{fill:none;stroke-width:1.5}.legend span{margin-right:1.2em;font-size:12px;white-space:nowrap}"
            + "i{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:middle}"
            + "table{border-collapse:collapse}td,th{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:right}"
            + "td:first-child,th:first-child{text-align:left}footer{margin-top:2em;color:#888;font-size:12px}";
}
