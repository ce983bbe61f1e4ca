package org.weft.client.spi;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;
import org.weft.protocol.RetireOutcome;
import org.weft.protocol.StoryEntry;
import org.weft.protocol.TaskSpec;

/**
 * A client's link to one scheduler. Implementations: the in-process link of a local cluster;
 * later, a network transport.
 */
@ProviderType
public interface SchedulerConnection extends AutoCloseable {

    /** Registers this client with the scheduler. Called once, before anything else. */
    void open(String clientId, ClientListener listener);

    /**
     * Sends tasks and the keys this client wants. The future fails with
     * {@link IllegalArgumentException} (message = the reason) if the scheduler rejects the graph;
     * a rejected graph changes nothing.
     */
    CompletableFuture<Void> updateGraph(List<TaskSpec> tasks, Set<String> wantedKeys);

    /** This client no longer wants these keys; the scheduler may release them. */
    void releaseKeys(Collection<String> keys);

    /** Fetches results of keys that are in memory. Fails if a key is not in memory. */
    CompletableFuture<Map<String, Object>> gather(Collection<String> keys);

    /** Unregisters the client; the scheduler releases everything it wanted. */
    @Override
    void close();

    // ---------------------------------------------------------------- control (cancel, restart, events)

    /**
     * Cancels keys and their dependents for this client or, with {@code force}, for every client
     * that wants them. Completes once the scheduler has done it.
     *
     * @since 1.1
     */
    default CompletableFuture<Void> cancel(Collection<String> keys, boolean force) {
        return unsupported("cancel");
    }

    /**
     * Restarts the scheduler: clears all task state (every client is told its keys are gone with
     * the reason {@code "restart"}) and resets every worker. Completes once the state is cleared.
     *
     * @since 1.1
     */
    default CompletableFuture<Void> restart() {
        return unsupported("restart");
    }

    /**
     * As {@link #restart()}; a scheduler whose worker processes run under nannies also waits, at
     * most {@code timeout}, until each of those nannies' fresh worker has joined again, and fails
     * with a {@link java.util.concurrent.TimeoutException} naming those that did not. A connection
     * with no such workers (a local cluster) ignores the timeout.
     *
     * @since 1.2
     */
    default CompletableFuture<Void> restart(java.time.Duration timeout) {
        return restart();
    }

    /**
     * Logs {@code message} under each topic. Fails with {@link IllegalArgumentException} for an
     * empty topic or a message that is not JSON-able.
     *
     * @since 1.1
     */
    default CompletableFuture<Void> logEvent(Collection<String> topics, Object message) {
        return unsupported("logEvent");
    }

    /**
     * The recent events of one topic, oldest first.
     *
     * @since 1.1
     */
    default CompletableFuture<List<TopicEvent>> events(String topic) {
        return unsupported("events");
    }

    /**
     * From now on the scheduler pushes events of {@code topic} to this client's
     * {@link ClientListener#event}.
     *
     * @since 1.1
     */
    default CompletableFuture<Void> subscribeTopic(String topic) {
        return unsupported("subscribeTopic");
    }

    /** @since 1.1 */
    default CompletableFuture<Void> unsubscribeTopic(String topic) {
        return unsupported("unsubscribeTopic");
    }

    /**
     * A JSON-able description of the scheduler: type, id, address, version, workers, clients, tasks.
     *
     * @since 1.1
     */
    default CompletableFuture<Map<String, Object>> identity() {
        return unsupported("identity");
    }

    /**
     * Runs the registered task function {@code function} on the scheduler and completes with its
     * result. Fails with {@link IllegalArgumentException} for an unknown function, and with what
     * the function threw otherwise.
     *
     * @since 1.1
     */
    default CompletableFuture<Object> runOnScheduler(String function, List<Object> args) {
        return unsupported("runOnScheduler");
    }

    /**
     * What happened to these keys on the scheduler and on every worker, oldest first, from the
     * bounded story logs.
     *
     * @since 1.1
     */
    default CompletableFuture<List<StoryEntry>> story(Collection<String> keys) {
        return unsupported("story");
    }

    private static <T> CompletableFuture<T> unsupported(String what) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException(what + " is not supported by this connection"));
    }

    // ---------------------------------------------------------------- scaling (retire, heartbeats, idle)

    /**
     * Retires these workers (Dask's {@code retire_workers}): each stops getting tasks, its unique
     * results are copied to other workers, then it closes. Completes, in the order asked, with each
     * worker's outcome once every one is decided. The default fails: the connection cannot do it.
     *
     * @since 1.1
     */
    default CompletableFuture<List<RetireOutcome>> retireWorkers(Collection<String> workers) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this connection cannot retire workers"));
    }

    /**
     * The workers cheapest to close (Dask's {@code workers_to_close}), every scheduler plugin's
     * {@code validWorkersDownscaling} applied in turn. {@code n}: how many to close, or
     * {@code target}: how many to keep; both null: the idle ones, keeping one.
     *
     * @since 1.1
     */
    default CompletableFuture<List<String>> workersToClose(Integer n, Integer target) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this connection cannot choose workers to close"));
    }

    /**
     * How many workers the current work asks for (Dask's {@code adaptive_target}), for tasks
     * expected to take {@code targetDurationMillis} in all.
     *
     * @since 1.1
     */
    default CompletableFuture<Integer> adaptiveTarget(long targetDurationMillis) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this connection cannot compute an adaptive target"));
    }

    /**
     * Sends a bundle (or, with {@code wrap}, a plain jar to wrap into one) to the scheduler's depot,
     * from where it reaches every worker; completes with what the scheduler says of it: its
     * {@code symbolicName}, {@code version}, {@code sha256}, {@code functions} and, per worker,
     * {@code worker}, {@code name}, {@code state} and {@code cause}.
     *
     * @since 1.2
     */
    default CompletableFuture<Map<String, Object>> uploadBundle(String fileName, byte[] bytes, boolean wrap) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "this connection has no bundle depot: bundles are uploaded to a scheduler process (Client.connect(\"tcp://...\"))"));
    }
}
