package org.weft.worker;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.client.Client;
import org.weft.client.spi.SchedulerEndpoint;
import org.weft.client.spi.TaskScope;
import org.weft.plugin.api.TaskContext;

/**
 * What a worker gives the task functions it runs, beyond their arguments: the {@link TaskContext}
 * with {@code secede()}/{@code rejoin()}, and {@link Client#current()}, backed by one client per
 * worker connected to the scheduler on first use. Secede and rejoin become stimuli of the worker's
 * state machine; a rejoining thread waits here until the state machine lets it go.
 */
final class TaskRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRuntime.class);

    private final String worker;
    private final SchedulerEndpoint scheduler;
    /** Posts a stimulus to the worker's loop: (key, secede?) → state.secede / state.rejoin. */
    private final Consumer<Stimulus> loop;
    private final Map<String, CompletableFuture<Void>> rejoining = new ConcurrentHashMap<>();
    private Client client;
    private volatile boolean closed;

    /** A secede or rejoin asked by the run of {@code key}. */
    record Stimulus(String key, boolean secede) {
    }

    TaskRuntime(String worker, SchedulerEndpoint scheduler, Consumer<Stimulus> loop) {
        this.worker = worker;
        this.scheduler = scheduler;
        this.loop = loop;
    }

    /** Runs {@code function} as the task {@code key} on this thread, with its context and scope. */
    Object run(String key, TaskFunctionCall function) throws Exception {
        Run run = new Run(key);
        return TaskScope.callIn(run, () -> function.call(run));
    }

    /** The state machine let the seceded run of {@code key} take a thread again. */
    void rejoined(String key) {
        CompletableFuture<Void> waiting = rejoining.remove(key);
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    private synchronized Client client() {
        if (closed) {
            throw new IllegalStateException("worker " + worker + " is closed");
        }
        if (scheduler == null) {
            throw new IllegalStateException("worker " + worker + " has no scheduler endpoint for clients");
        }
        if (client == null) {
            client = Client.connect(scheduler.connect());
        }
        return client;
    }

    /** Closes the worker's client, if a task opened it, and lets every waiting rejoin go. */
    @Override
    public void close() {
        Client open;
        synchronized (this) {
            closed = true;
            open = client;
            client = null;
        }
        if (open != null) {
            open.close();
        }
        rejoining.values().forEach(f -> f.complete(null));
        rejoining.clear();
    }

    /** A task function bound to its context. */
    @FunctionalInterface
    interface TaskFunctionCall {
        Object call(TaskContext context) throws Exception;
    }

    /** One run of a task: its context for the function, its scope for the client. */
    private final class Run implements TaskContext, TaskScope {
        private final String key;

        Run(String key) {
            this.key = key;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public String worker() {
            return worker;
        }

        @Override
        public Client client() {
            return TaskRuntime.this.client();
        }

        @Override
        public void secede() {
            loop.accept(new Stimulus(key, true));
        }

        @Override
        public void rejoin() {
            CompletableFuture<Void> granted = new CompletableFuture<>();
            rejoining.put(key, granted);
            loop.accept(new Stimulus(key, false));
            if (closed) {
                return; // the worker closes: nobody is left to let it go
            }
            try {
                granted.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                rejoining.remove(key, granted);
                LOG.debug("task {} on {} was interrupted while rejoining", key, worker);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public String toString() {
            return "TaskContext[" + key + " on " + worker + "]";
        }
    }
}
