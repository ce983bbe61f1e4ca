package org.weft.plugins.resourcemonitor;

import java.util.List;
import java.util.Locale;

/**
 * A line chart drawn as inline SVG: several series of one unit over the recording's time, with
 * axes, grid, ticks and a legend. Long series are reduced to a minimum and a maximum per pixel
 * column, so the drawing stays small and keeps every peak.
 */
final class SvgChart {

    static final int WIDTH = 900;
    static final int HEIGHT = 220;
    private static final int LEFT = 70;
    private static final int RIGHT = 10;
    private static final int TOP = 10;
    private static final int BOTTOM = 30;

    private SvgChart() {
    }

    /**
     * @param t0 the time at the left edge, epoch microseconds
     * @param t1 the time at the right edge
     */
    static String draw(String title, String unit, List<TimeSeries.Points> series, long t0, long t1) {
        double max = 0;
        for (TimeSeries.Points p : series) {
            for (double v : p.values()) {
                max = Math.max(max, v);
            }
        }
        double top = niceCeiling(max, unit);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        double span = Math.max(1, t1 - t0);
        StringBuilder b = new StringBuilder();
        b.append("<figure class=\"chart\"><figcaption>").append(Html.escape(title)).append("</figcaption>\n");
        b.append(String.format(Locale.ROOT, "<svg class=\"plot\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"frame\"/>", LEFT, TOP,
                plotW, plotH));
        for (int k = 0; k <= 4; k++) {
            double v = top * k / 4;
            double y = TOP + plotH - plotH * (double) k / 4;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", LEFT,
                    LEFT + plotW, y, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"ytick\">%s</text>", LEFT - 4, y + 4,
                    Html.escape(Html.value(v, unit))));
        }
        double seconds = span / 1e6;
        for (int k = 0; k <= 5; k++) {
            double x = LEFT + plotW * k / 5.0;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"xtick\">%s s</text>", x, HEIGHT - 10,
                    Html.seconds(seconds * k / 5)));
        }
        for (int i = 0; i < series.size(); i++) {
            TimeSeries.Points p = series.get(i);
            b.append("<polyline class=\"series\" stroke=\"").append(Html.colour(i)).append("\" points=\"");
            appendPoints(b, p, t0, span, top, plotW, plotH);
            b.append("\"><title>").append(Html.escape(p.name())).append("</title></polyline>");
        }
        b.append("</svg>\n<div class=\"legend\">");
        for (int i = 0; i < series.size(); i++) {
            TimeSeries.Points p = series.get(i);
            double last = p.values().length == 0 ? 0 : p.values()[p.values().length - 1];
            double peak = 0;
            for (double v : p.values()) {
                peak = Math.max(peak, v);
            }
            b.append("<span><i style=\"background:").append(Html.colour(i)).append("\"></i>")
                    .append(Html.escape(p.name())).append(" (last ").append(Html.escape(Html.value(last, unit)))
                    .append(", peak ").append(Html.escape(Html.value(peak, unit))).append(")</span>");
        }
        b.append("</div></figure>\n");
        return b.toString();
    }

    private static void appendPoints(StringBuilder b, TimeSeries.Points p, long t0, double span, double top, int plotW,
            int plotH) {
        long[] t = p.times();
        double[] v = p.values();
        int column = -1;
        double lo = 0;
        double hi = 0;
        for (int i = 0; i <= t.length; i++) {
            int c = i < t.length ? (int) Math.floor((t[i] - t0) / span * plotW) : Integer.MAX_VALUE;
            if (c != column && column >= 0) {
                double x = LEFT + Math.max(0, Math.min(plotW, column));
                point(b, x, y(lo, top, plotH));
                if (hi != lo) {
                    point(b, x, y(hi, top, plotH));
                }
            }
            if (i == t.length) {
                break;
            }
            if (c != column) {
                column = c;
                lo = v[i];
                hi = v[i];
            } else {
                lo = Math.min(lo, v[i]);
                hi = Math.max(hi, v[i]);
            }
        }
    }

    private static double y(double v, double top, int plotH) {
        return TOP + plotH - plotH * Math.max(0, Math.min(1, v / top));
    }

    private static void point(StringBuilder b, double x, double y) {
        b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }

    /** A round upper bound for the axis: 100 for CPU under 100 %, else 1, 2 or 5 times a power (of 1024 for bytes). */
    static double niceCeiling(double max, String unit) {
        if (max <= 0) {
            return 1;
        }
        if ("%".equals(unit) && max <= 100) {
            return 100;
        }
        double base = unit.startsWith("bytes") ? 1024 : 10;
        double power = 1;
        while (power * base <= max) {
            power *= base;
        }
        for (double m : new double[] {1, 2, 5, 10, 20, 50, 100, 200, 500, 1024}) {
            if (power * m >= max) {
                return power * m;
            }
        }
        return power * base;
    }
}
