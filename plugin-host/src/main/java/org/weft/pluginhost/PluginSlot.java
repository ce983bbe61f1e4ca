package org.weft.pluginhost;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;

/**
 * One running plugin: makes every hook call on it, counted, timed (sampled: see {@link PluginStats})
 * and contained. A hook that throws is logged (rate-limited) and counted; after {@code maxConsecutiveFailures} in a row the plugin is
 * set FAILED and is called no more. Sync plugins are called right away on the loop thread; async
 * ones through their {@link AsyncDispatcher}, which calls {@link #invoke} on the plugin's thread.
 *
 * <p>{@link #deliver}, {@link #activate}, {@link #shutDown} and the successor run on the loop
 * thread; {@link #invoke}, the figures and the state are safe from the async thread too.
 */
final class PluginSlot<P> implements EventSink<P> {

    private static final Logger LOG = LoggerFactory.getLogger(PluginSlot.class);

    private final P plugin;
    private final PluginOptions options;
    private final PluginOrigin origin;
    private final PluginKind kind;
    private final String where;
    private final String label;
    /** Set on the loop thread ({@link #reconfigure}); read by the async thread too. */
    private volatile PluginHostConfig config;
    private final PluginStats stats = new PluginStats();
    /** {@code stats.events()}, held here so an event call reaches its counters in one step. */
    private final PluginStats.Figures events = stats.events();
    private final LogLimiter errorLog = new LogLimiter();
    private final LogLimiter slowLog = new LogLimiter();
    private final DropReport dropReport = new DropReport();
    /** Why the latest event was dropped; loop thread only, as dropping is. */
    private String dropCause;

    private volatile PluginState state = PluginState.ACTIVE;
    private volatile String failure;

    // loop thread only
    private AsyncDispatcher<P> dispatcher;
    private boolean shutDown;
    private EventSink<P> successor;

    PluginSlot(P plugin, PluginOptions options, PluginOrigin origin, PluginKind kind, String where,
            PluginHostConfig config) {
        this.plugin = plugin;
        this.options = options;
        this.origin = origin;
        this.kind = kind;
        this.where = where;
        this.config = config;
        this.label = kind == PluginKind.SCHEDULER
                ? "scheduler plugin '" + options.name() + "'"
                : kind.label() + " plugin '" + options.name() + "' on " + where;
    }

    /** New limits (slow-call threshold, failures in a row) for the calls from now on. */
    void reconfigure(PluginHostConfig next) {
        config = next;
    }

    /** Whether events reaching this slot now go to its successor (it is leaving). */
    boolean isShutDown() {
        return shutDown;
    }

    P plugin() {
        return plugin;
    }

    String name() {
        return options.name();
    }

    PluginOrigin origin() {
        return origin;
    }

    /** How log lines and messages name this plugin, e.g. {@code scheduler plugin 'counter'}. */
    String label() {
        return label;
    }

    PluginState state() {
        return state;
    }

    /** After a successful start/setup: async plugins get their thread. */
    void activate() {
        if (options.delivery().async()) {
            dispatcher = new AsyncDispatcher<>(this, options.delivery());
        }
    }

    /**
     * Stops taking events and lets an async plugin's queue drain; after this returns, the plugin
     * has had its last event and can be closed. Calls that still reach this slot (from a snapshot
     * taken before) go to the successor, if any.
     */
    void shutDown(EventSink<P> next) {
        shutDown = true;
        successor = next;
        if (dispatcher != null) {
            dispatcher.stop();
        }
    }

    /** After close/teardown: the slot's final state, with {@code closeFailure} if that threw. */
    void closed(String closeFailure) {
        if (closeFailure != null && failure == null) {
            failure = closeFailure;
        }
        state = PluginState.CLOSED;
    }

    @Override
    public void deliver(HookCall<P> call) {
        if (shutDown) {
            if (successor != null) {
                successor.deliver(call);
            }
        } else if (dispatcher == null) {
            invoke(call); // a sync plugin: now, on this thread (invoke skips it unless ACTIVE)
        } else if (state == PluginState.ACTIVE) {
            dispatcher.submit(call);
        }
    }

    /** Makes the call now, on the calling thread (the loop for sync plugins, its own for async). */
    void invoke(HookCall<P> call) {
        if (state != PluginState.ACTIVE) {
            return;
        }
        PluginStats.Figures figures = events;
        long t0 = figures.timeNext() ? System.nanoTime() : -1;
        try {
            call.callOn(plugin);
        } catch (Exception | LinkageError e) {
            failed(figures, call.hook(), call.subject(), t0, e);
            return;
        }
        if (t0 < 0) { // the common case after the first calls: counted, not timed, nothing to log
            figures.count(-1, false);
            stats.succeeded();
        } else {
            succeeded(figures, call.hook(), call.subject(), t0);
        }
    }

    /**
     * Calls a hook that returns an answer, now, on the loop thread.
     *
     * @return the hook's answer, or {@code fallback} if the plugin is not active or the hook threw
     */
    <R> R query(String hook, String subject, Function<? super P, ? extends R> call, R fallback) {
        if (state != PluginState.ACTIVE) {
            return fallback;
        }
        PluginStats.Figures figures = stats.queries();
        long t0 = figures.timeNext() ? System.nanoTime() : -1;
        try {
            R answer = call.apply(plugin);
            succeeded(figures, hook, subject, t0);
            return answer;
        } catch (Exception | LinkageError e) {
            failed(figures, hook, subject, t0, e);
            return fallback;
        }
    }

    /** {@code t0} is the call's start if it is timed (see {@link PluginStats}), else negative. */
    private void succeeded(PluginStats.Figures figures, String hook, String subject, long t0) {
        long nanos = t0 < 0 ? -1 : System.nanoTime() - t0;
        figures.count(nanos, false);
        stats.succeeded();
        if (nanos > config.slowCallNanos()) {
            logSlow(hook, subject, nanos);
        }
    }

    private void failed(PluginStats.Figures figures, String hook, String subject, long t0, Throwable e) {
        figures.count(t0 < 0 ? -1 : System.nanoTime() - t0, true);
        int inARow = stats.failed();
        long suppressed = errorLog.admit();
        if (suppressed >= 0) {
            LOG.warn("{} failed in {}({}){}", label, hook, subject == null ? "" : subject,
                    suppressedNote(suppressed, "failures"), e);
        }
        int max = config.maxConsecutiveFailures();
        if (max > 0 && inARow >= max) {
            setFailed(inARow, hook, e);
        }
    }

    /**
     * Counts events that never reached the plugin (on the loop thread); nothing else, as it may
     * happen for nearly every event. {@link #reportDrops} logs them, so they are never silent.
     *
     * @param why a fixed text (built once, not per drop), e.g. {@code queue full (capacity 4096, DROP)}
     */
    void dropped(long count, String why) {
        if (count > 0) {
            stats.dropped(count);
            dropCause = why;
        }
    }

    /**
     * Logs, at a bounded rate (see {@link DropReport}), how many events were dropped since the
     * last line; with {@code last}, whatever is left. Loop thread, called periodically and when
     * the plugin leaves.
     *
     * @return the line logged, or null
     */
    String reportDrops(long nowMillis, boolean last) {
        String line = dropReport.line(label, stats.dropped(), dropCause, nowMillis, last);
        if (line != null) {
            LOG.warn(line);
        }
        return line;
    }

    /** The async thread died of an error that is not a plugin's ordinary failure. */
    void threadDied(Throwable t) {
        failure = "delivery thread died: " + t;
        state = PluginState.FAILED;
        LOG.warn("{} set FAILED: its delivery thread died; it receives no more events", label, t);
    }

    private synchronized void setFailed(int inARow, String hook, Throwable e) {
        if (state != PluginState.ACTIVE) {
            return;
        }
        failure = hook + ": " + e;
        state = PluginState.FAILED;
        LOG.warn("{} set FAILED after {} consecutive failures; it receives no more events", label, inARow);
    }

    private void logSlow(String hook, String subject, long nanos) {
        long suppressed = slowLog.admit();
        if (suppressed >= 0) {
            LOG.warn("{} is slow: {}({}) took {} ms of wall-clock time, GC pauses included (threshold {} ms){}", label, hook,
                    subject == null ? "" : subject, TimeUnit.NANOSECONDS.toMillis(nanos),
                    TimeUnit.NANOSECONDS.toMillis(config.slowCallNanos()), suppressedNote(suppressed, "slow calls"));
        }
    }

    private static String suppressedNote(long suppressed, String what) {
        return suppressed == 0 ? "" : " (" + suppressed + " more " + what + " not logged)";
    }

    PluginStatus status() {
        return new PluginStatus(options.name(), kind, where, origin.bundle(), origin.version(), state,
                options.delivery(), stats.calls(), stats.errors(), stats.meanNanos(), stats.maxNanos(),
                stats.dropped(), failure, statusLine());
    }

    /** The plugin's own line ({@link SchedulerPlugin#statusLine}) while it is active; a throw shows as such. */
    private String statusLine() {
        if (state != PluginState.ACTIVE || !(plugin instanceof SchedulerPlugin p)) {
            return null;
        }
        try {
            return p.statusLine();
        } catch (RuntimeException | LinkageError e) {
            return "(statusLine failed: " + e + ")";
        }
    }
}
