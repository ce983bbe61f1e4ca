package org.weft.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the dashboard's state to every open page as server-sent events, a few times a second
 * (every {@code periodMillis}), on its own thread {@code weft-dashboard-feed}: one scheduler
 * snapshot per tick whatever the number of pages, plus each page's task spans since its last
 * update. With no page open it asks the scheduler nothing.
 */
final class LiveFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    /** Spans sent in one update at most (the newest); the rest are counted as not drawn. */
    static final int SPANS_PER_UPDATE = 2_000;

    private final SnapshotCache snapshots;
    private final TaskStream stream;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;

    LiveFeed(SnapshotCache snapshots, TaskStream stream, long periodMillis) {
        this.snapshots = snapshots;
        this.stream = stream;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-dashboard-feed");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** A page that listens: it gets the recent task spans first, then updates until it goes away. */
    void subscribe(AsyncContext context) {
        Subscriber s = new Subscriber(context, Math.max(0, stream.last() - SPANS_PER_UPDATE));
        context.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                subscribers.remove(s);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                drop(s);
            }

            @Override
            public void onError(AsyncEvent event) {
                drop(s);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not restarted
            }
        });
        subscribers.add(s);
    }

    int subscriberCount() {
        return subscribers.size();
    }

    private void tick() {
        if (subscribers.isEmpty()) {
            return;
        }
        Sample sample;
        try {
            sample = snapshots.fresh();
        } catch (Exception e) {
            LOG.debug("no snapshot for the dashboard this time: {}", e.toString());
            return;
        } catch (Throwable t) {
            LOG.warn("the dashboard's feed failed", t);
            return;
        }
        for (Subscriber s : subscribers) {
            send(s, update(sample, s));
        }
    }

    /** The update for one page: the snapshot, the rates, and its new task spans. */
    private Map<String, Object> update(Sample sample, Subscriber s) {
        long newest = stream.last();
        List<TaskSpan> spans = stream.since(s.lastSeq, SPANS_PER_UPDATE);
        long skipped = newest - s.lastSeq - spans.size();
        s.lastSeq = newest;
        List<Object[]> rows = new ArrayList<>(spans.size());
        for (TaskSpan span : spans) {
            rows.add(new Object[] {span.key(), span.worker(), span.startMillis(), span.stopMillis(), span.erred()});
        }
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("nowMillis", System.currentTimeMillis());
        update.put("transitionsPerSecond", sample.transitionsPerSecond());
        update.put("loopBusyFraction", sample.loopBusyFraction());
        update.put("snapshot", sample.snapshot());
        update.put("spans", rows);
        update.put("spansNotDrawn", Math.max(0, skipped));
        return update;
    }

    private void send(Subscriber s, Map<String, Object> update) {
        byte[] event = ("data: " + Json.write(update) + "\n\n").getBytes(StandardCharsets.UTF_8);
        try {
            OutputStream out = s.context.getResponse().getOutputStream();
            out.write(event);
            out.flush();
        } catch (IOException | IllegalStateException e) {
            LOG.debug("a dashboard page went away: {}", e.toString());
            drop(s);
        }
    }

    private void drop(Subscriber s) {
        if (subscribers.remove(s)) {
            try {
                s.context.complete();
            } catch (IllegalStateException e) {
                LOG.trace("already completed", e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (Subscriber s : subscribers) {
            drop(s);
        }
    }

    /** One open page. {@code lastSeq} is touched only by the feed's thread. */
    private static final class Subscriber {
        final AsyncContext context;
        long lastSeq;

        Subscriber(AsyncContext context, long lastSeq) {
            this.context = context;
            this.lastSeq = lastSeq;
        }
    }
}
