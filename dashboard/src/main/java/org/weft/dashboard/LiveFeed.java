package org.weft.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Pushes the dashboard's state to every open page as server-sent events, on its own thread
 * {@code weft-dashboard-feed}, which ticks every {@code tickMillis}: each page asks how often it
 * wants an update (a whole number of ticks, see {@link #subscribe}), and a tick at which no page is
 * due asks the scheduler nothing. One scheduler snapshot per tick whatever the number of pages due
 * (fewer when snapshots are slow to come, see {@link SnapshotCache#forFeed}), of which each page
 * gets only the parts that changed since its last update, plus its task stream's bars since then
 * (each a run of tasks that one worker thread ran back to back, see {@link TaskStream}), at most
 * {@link #BARS_PER_SECOND} a second of its updates (thinned out evenly beyond that, their tasks
 * counted as not drawn). Written with a streaming JSON
 * generator into one reused buffer. With no page open it asks the scheduler nothing and the task
 * stream records nothing, so the dashboard's plugin wants no event (see {@link TaskStreamPlugin}).
 */
final class LiveFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    /**
     * Bars sent a second at most, whatever the page's rate of updates: more than a canvas a few
     * hundred pixels wide can tell apart; beyond that the page draws a sample.
     */
    static final int BARS_PER_SECOND = 1000;
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HELLO = ": weft dashboard\n\n".getBytes(StandardCharsets.UTF_8);

    private final SnapshotCache snapshots;
    private final TaskStream stream;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private final long tickMillis;
    /** The pages due at this tick; only the feed's thread touches it. */
    private final List<Subscriber> due = new ArrayList<>();
    /** The event being written; only the feed's thread touches it. */
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);

    LiveFeed(SnapshotCache snapshots, TaskStream stream, long tickMillis) {
        this.snapshots = snapshots;
        this.stream = stream;
        this.tickMillis = tickMillis;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-dashboard-feed");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * A page that listens: the task stream records from now on, the page gets a comment line at
     * once (its response committed), then the recent task bars and updates until it goes away: the
     * first at the next tick, then one every {@code everyMillis} (rounded to whole ticks, at least one).
     */
    void subscribe(AsyncContext context, long everyMillis) throws IOException {
        int everyTicks = (int) Math.max(1, Math.round((double) everyMillis / tickMillis)); // everyMillis: at most 10 000
        int barsPerUpdate = (int) Math.max(1, BARS_PER_SECOND * everyTicks * tickMillis / 1000);
        Subscriber s = new Subscriber(context, everyTicks, barsPerUpdate, stream.recent(barsPerUpdate));
        context.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                forget(s);
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
        recordWhileListened();
        OutputStream out = context.getResponse().getOutputStream();
        out.write(HELLO);
        out.flush();
        s.ready = true; // from here on only the feed's thread writes to it
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /**
     * The task stream records exactly while some page listens (the last change decides). Called
     * before the page's first update: the plugin says its interest changed before anything of this
     * page's reaches the scheduler, so every task that finishes after that is in its task stream.
     */
    private synchronized void recordWhileListened() {
        stream.recording(!subscribers.isEmpty());
    }

    private void tick() {
        due.clear();
        for (Subscriber s : subscribers) {
            if (s.ready && --s.ticksLeft <= 0) {
                due.add(s);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        Sample sample;
        try {
            sample = snapshots.forFeed();
        } catch (Exception e) {
            LOG.debug("no snapshot for the dashboard this time: {}", e.toString());
            return; // the pages due stay due: they are sent the next tick's
        } catch (Throwable t) {
            LOG.warn("the dashboard's feed failed", t);
            return;
        }
        for (Subscriber s : due) {
            s.ticksLeft = s.everyTicks;
            send(s, sample);
        }
    }

    private void send(Subscriber s, Sample sample) {
        try {
            buffer.reset();
            buffer.write(DATA);
            try (JsonGenerator json = Json.generator(buffer)) {
                writeUpdate(json, sample, s);
            }
            buffer.write(END);
            OutputStream out = s.context.getResponse().getOutputStream();
            buffer.writeTo(out);
            out.flush();
        } catch (IOException | IllegalStateException e) {
            LOG.debug("a dashboard page went away: {}", e.toString());
            drop(s);
        }
    }

    /**
     * One page's update: the time, the rates, the snapshot's top-level entries that differ from
     * what this page was last sent, its new task bars ({@code [key, worker, start, stop, erred, tasks]})
     * and how many tasks were in the bars not sent.
     */
    private void writeUpdate(JsonGenerator json, Sample sample, Subscriber s) throws IOException {
        json.writeStartObject();
        json.writeNumberField("nowMillis", System.currentTimeMillis());
        json.writeNumberField("transitionsPerSecond", sample.transitionsPerSecond());
        json.writeNumberField("loopBusyFraction", sample.loopBusyFraction());
        json.writeObjectFieldStart("snapshot");
        for (Map.Entry<String, Object> e : sample.snapshot().entrySet()) {
            if (!s.sent.containsKey(e.getKey()) || !Objects.equals(s.sent.get(e.getKey()), e.getValue())) {
                json.writeFieldName(e.getKey());
                json.writeObject(e.getValue());
                s.sent.put(e.getKey(), e.getValue());
            }
        }
        json.writeEndObject();
        json.writeArrayFieldStart("spans");
        long[] written = {0};
        TaskStream.Place newest = stream.since(s.last.seq(), s.barsPerUpdate, (key, worker, start, stop, erred, tasks) -> {
            json.writeStartArray();
            json.writeString(key);
            json.writeString(worker);
            json.writeNumber(start);
            json.writeNumber(stop);
            json.writeBoolean(erred);
            json.writeNumber(tasks);
            json.writeEndArray();
            written[0] += tasks;
        });
        json.writeEndArray();
        json.writeNumberField("spansNotDrawn", Math.max(0, newest.tasks() - s.last.tasks() - written[0]));
        s.last = newest;
        json.writeEndObject();
    }

    private void forget(Subscriber s) {
        subscribers.remove(s);
        recordWhileListened();
    }

    private void drop(Subscriber s) {
        if (subscribers.remove(s)) {
            recordWhileListened();
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

    /**
     * One open page, sent an update every {@code everyTicks} ticks with up to {@code barsPerUpdate}
     * task bars. {@code last} (where in the task stream its last update ended), {@code sent} (the
     * snapshot entries it was last sent) and {@code ticksLeft} (until its next update) are touched
     * only by the feed's thread, once {@code ready}.
     */
    private static final class Subscriber {
        final AsyncContext context;
        final int everyTicks;
        final int barsPerUpdate;
        final Map<String, Object> sent = new HashMap<>();
        TaskStream.Place last;
        int ticksLeft = 1;
        volatile boolean ready;

        Subscriber(AsyncContext context, int everyTicks, int barsPerUpdate, TaskStream.Place last) {
            this.context = context;
            this.everyTicks = everyTicks;
            this.barsPerUpdate = barsPerUpdate;
            this.last = last;
        }
    }
}
