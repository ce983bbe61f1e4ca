package org.weft.client;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@link ProgressListener} that renders to a {@link PrintStream}.
 *
 * <p>On a terminal, one line redrawn in place (at most every 100 ms or each new percent, and a
 * final newline):
 * <pre>[#########...........]  45% 4,500/10,000 tasks  3.2 s</pre>
 * Otherwise (a log, a pipe), plain lines, one each time another tenth is complete and one at 100%:
 * <pre>45% 4,500/10,000 tasks  3.2 s</pre>
 * Failed and cancelled futures count towards completion and are added as {@code  12 erred} and
 * {@code  3 cancelled}. Time is measured from construction. Thread-safe.
 *
 * <pre>{@code
 * client.progress(futures, new ProgressBar(System.err, System.console() != null)).await();
 * }</pre>
 *
 * @since 1.0
 */
@ProviderType
public final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 20;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long start;

    // guarded by this
    private int lastFinished = -1;
    private int lastPercent = -1;
    private int lastTenth;
    private long lastDraw;
    private int lastLength;
    private boolean complete;

    /**
     * @param out where to render
     * @param terminal whether {@code out} is an interactive terminal (pass
     *        {@code System.console() != null}): redraw one line rather than print lines
     */
    public ProgressBar(PrintStream out, boolean terminal) {
        this(out, terminal, System::nanoTime);
    }

    ProgressBar(PrintStream out, boolean terminal, LongSupplier nanoClock) {
        this.out = Objects.requireNonNull(out, "out");
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    @Override
    public void progress(int done, int erred, int total) {
        progress(done, erred, 0, total);
    }

    @Override
    public synchronized void progress(int done, int erred, int cancelled, int total) {
        int finished = done + erred + cancelled;
        if (complete || finished < lastFinished) {
            return; // after the end, or out of order
        }
        lastFinished = finished;
        boolean end = finished >= total;
        int percent = total <= 0 ? 100 : (int) Math.min(100, 100L * finished / total);
        long now = nanoClock.getAsLong();
        if (terminal) {
            if (end || percent != lastPercent || now - lastDraw >= REDRAW_NANOS) {
                String line = bar(finished, total) + " " + summary(percent, finished, erred, cancelled, total, now);
                int pad = Math.max(0, lastLength - line.length());
                out.print("\r" + line + " ".repeat(pad) + (end ? System.lineSeparator() : ""));
                out.flush();
                lastLength = line.length();
                lastDraw = now;
            }
        } else if (end || percent / 10 > lastTenth) {
            out.println(summary(percent, finished, erred, cancelled, total, now));
            out.flush();
            lastTenth = percent / 10;
        }
        lastPercent = percent;
        complete = end;
    }

    private static String bar(int finished, int total) {
        int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, (long) WIDTH * finished / total);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
    }

    private String summary(int percent, int finished, int erred, int cancelled, int total, long now) {
        double seconds = (now - start) / 1e9;
        String text = String.format(Locale.ROOT, "%3d%% %,d/%,d tasks  %.1f s", percent, finished, total, seconds);
        if (erred > 0) {
            text += String.format(Locale.ROOT, "  %,d erred", erred);
        }
        if (cancelled > 0) {
            text += String.format(Locale.ROOT, "  %,d cancelled", cancelled);
        }
        return terminal ? text : text.strip();
    }
}
