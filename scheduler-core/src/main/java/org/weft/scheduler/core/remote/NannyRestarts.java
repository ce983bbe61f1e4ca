package org.weft.scheduler.core.remote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;

/**
 * A restart's wait for the workers under nannies (Dask's {@code Scheduler.restart} waits for its
 * workers too): each worker process that ends for its nanny to start a fresh one is awaited until
 * a worker of the same nanny has joined again, or until the timeout, which fails with the workers
 * that did not come back. Nannies are known by the id each worker gives in its hello
 * ({@code nannyId}). Only bookkeeping: the caller says who joined; thread-safe.
 */
final class NannyRestarts {

    /** A worker a restart ends and its nanny replaces: its nanny's id, and how to name it in an error. */
    record Awaited(String nannyId, String name, String address) {
        String describe() {
            return name == null || name.equals(address) ? address : name + " (" + address + ")";
        }
    }

    private static final class Wait {
        final Map<String, Awaited> pending = new LinkedHashMap<>();
        final List<String> back = new ArrayList<>();
        final CompletableFuture<List<String>> done = new CompletableFuture<>();
    }

    private final List<Wait> waits = new ArrayList<>();

    /**
     * Starts waiting for a fresh worker from each of these workers' nannies: call it before the
     * restart goes out, so no join is missed. Completes with the names of the workers that joined,
     * or fails with a {@link TimeoutException} naming those that did not within {@code timeoutMillis}.
     *
     * @param timer runs the expiry (e.g. {@code CompletableFuture.delayedExecutor(timeoutMillis, MILLISECONDS)})
     */
    CompletableFuture<List<String>> await(Collection<Awaited> workers, long timeoutMillis, Executor timer) {
        Wait wait = new Wait();
        for (Awaited w : workers) {
            wait.pending.put(w.nannyId(), w);
        }
        synchronized (this) {
            if (wait.pending.isEmpty()) {
                wait.done.complete(List.of());
                return wait.done;
            }
            waits.add(wait);
        }
        timer.execute(() -> expire(wait, timeoutMillis));
        return wait.done;
    }

    /** A worker joined (it may now be given tasks); {@code nannyId} null: it runs without a nanny. */
    void joined(String nannyId, String name) {
        if (nannyId == null) {
            return;
        }
        List<Wait> finished = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Wait> it = waits.iterator(); it.hasNext();) {
                Wait w = it.next();
                if (w.pending.remove(nannyId) != null) {
                    w.back.add(name);
                    if (w.pending.isEmpty()) {
                        it.remove();
                        finished.add(w);
                    }
                }
            }
        }
        finished.forEach(w -> w.done.complete(List.copyOf(w.back)));
    }

    private void expire(Wait wait, long timeoutMillis) {
        List<Awaited> missing;
        int back;
        synchronized (this) {
            if (!waits.remove(wait)) {
                return;
            }
            missing = List.copyOf(wait.pending.values());
            back = wait.back.size();
        }
        List<String> names = missing.stream().map(Awaited::describe).toList();
        wait.done.completeExceptionally(new TimeoutException(String.format(Locale.ROOT,
                "waited %.1f s for %d worker(s) under nannies to come back after the restart; %d did, %d did not: %s"
                        + " (is its nanny running? see its output; or give restart a longer timeout)",
                timeoutMillis / 1000.0, back + missing.size(), back, missing.size(), String.join(", ", names))));
    }
}
