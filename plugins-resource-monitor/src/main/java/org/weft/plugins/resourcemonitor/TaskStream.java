package org.weft.plugins.resourcemonitor;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;

/**
 * The task stream as inline SVG, as Dask's dashboard shows it: a row per worker thread, each task's
 * running time a bar coloured by its prefix. Each pixel column of a row shows the prefix of the
 * task covering most of it, and equal neighbours merge into one bar, so the drawing has at most a
 * bar per pixel per row whatever the number of tasks.
 */
final class TaskStream {

    private static final int LEFT = 170;
    private static final int ROW = 14;
    private static final int TOP = 6;
    private static final int BOTTOM = 24;

    private TaskStream() {
    }

    static String draw(ProfileData data, PrefixStats prefixes) {
        int plotW = SvgChart.WIDTH - LEFT - 10;
        long t0 = data.startedMicros();
        double span = Math.max(1, data.endMicros() - t0);
        int rows = 0;
        for (ProfileData.Worker w : data.workers()) {
            rows += lanes(w).cardinality();
        }
        int height = TOP + Math.max(1, rows) * ROW + BOTTOM;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"stream\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
                SvgChart.WIDTH, height, SvgChart.WIDTH, height));
        int row = 0;
        for (ProfileData.Worker w : data.workers()) {
            BitSet lanes = lanes(w);
            for (int lane = lanes.nextSetBit(0); lane >= 0; lane = lanes.nextSetBit(lane + 1)) {
                int y = TOP + row * ROW;
                b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"ytick\">%s thread %d</text>", LEFT - 4,
                        y + ROW - 3, Html.escape(shortName(w.address())), lane + 1));
                drawLane(b, w, lane, y, t0, span, plotW, prefixes);
                row++;
            }
        }
        double seconds = span / 1e6;
        for (int k = 0; k <= 5; k++) {
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"xtick\">%s s</text>", LEFT + plotW * k / 5.0,
                    height - 8, Html.seconds(seconds * k / 5)));
        }
        return b.append("</svg>\n").toString();
    }

    private static void drawLane(StringBuilder b, ProfileData.Worker w, int lane, int y, long t0, double span, int plotW,
            PrefixStats prefixes) {
        int[] prefix = new int[plotW];
        double[] cover = new double[plotW];
        Arrays.fill(prefix, -1);
        for (TaskSpan s : w.spans()) {
            if (!s.phase().onThread() || s.lane() != lane) {
                continue;
            }
            double x0 = (s.startMicros() - t0) / span * plotW;
            double x1 = (s.startMicros() + s.durationMicros() - t0) / span * plotW;
            int p = prefixes.index(KeyPrefix.of(s.key()));
            for (int c = Math.max(0, (int) x0); c <= Math.min(plotW - 1, (int) x1); c++) {
                double covered = Math.min(x1, c + 1) - Math.max(x0, c);
                if (covered > cover[c] || prefix[c] < 0) {
                    cover[c] = Math.max(covered, 1e-9);
                    prefix[c] = p;
                }
            }
        }
        int c = 0;
        while (c < plotW) {
            if (prefix[c] < 0) {
                c++;
                continue;
            }
            int start = c;
            while (c < plotW && prefix[c] == prefix[start]) {
                c++;
            }
            String name = prefixes.rows().get(prefix[start]).prefix;
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                    LEFT + start, y, c - start, ROW - 2, Html.colour(prefix[start]), Html.escape(name)));
        }
    }

    private static BitSet lanes(ProfileData.Worker w) {
        BitSet lanes = new BitSet();
        for (TaskSpan s : w.spans()) {
            if (s.phase().onThread()) {
                lanes.set(s.lane());
            }
        }
        return lanes;
    }

    /** {@code inproc://worker-1} → {@code worker-1}. */
    static String shortName(String address) {
        int slash = address.lastIndexOf('/');
        return slash >= 0 && slash < address.length() - 1 ? address.substring(slash + 1) : address;
    }
}
