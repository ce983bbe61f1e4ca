package org.weft.pluginhost;

/**
 * When to report the events a plugin dropped, so that dropping stays a counter increment and the
 * log gets a bounded number of lines however many are dropped: a line at the first report after a
 * drop, then at most one per {@link #INTERVAL_MILLIS}, each with the count since the line before,
 * and a last one when the plugin leaves. The caller passes the time (no clock here). Loop thread only.
 */
final class DropReport {

    static final long INTERVAL_MILLIS = 10_000;

    private long reportedTotal;
    private long lastLineMillis;
    private boolean anyLine;

    /**
     * @param total events dropped since the plugin started
     * @param why the latest drop's cause, e.g. {@code queue full (capacity 4096, DROP)}
     * @param last the plugin is leaving: report what is left, whatever the time
     * @return the line to log, or null if there is nothing new or the last line is too recent
     */
    String line(String label, long total, String why, long nowMillis, boolean last) {
        long since = total - reportedTotal;
        if (since <= 0 || !last && anyLine && nowMillis - lastLineMillis < INTERVAL_MILLIS) {
            return null;
        }
        String span = anyLine ? " in the last " + Math.max(1, (nowMillis - lastLineMillis + 500) / 1000) + " s" : "";
        reportedTotal = total;
        lastLineMillis = nowMillis;
        anyLine = true;
        return label + " dropped " + since + " event(s)" + span + ": " + why + "; " + total + " dropped in all";
    }
}
