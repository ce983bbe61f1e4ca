package org.weft.plugin.api;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Extends the scheduler: code that runs at each scheduler event, in step with the scheduler.
 *
 * <p>Register an implementation as an OSGi service named with {@link PluginName}, or add it in
 * code with {@link PluginOptions}. Every method has an empty default, so implement only what you
 * need. Example, a counter of finished tasks (Dask's {@code Counter}):
 *
 * <pre>{@code
 * @Component
 * @PluginName("counter")
 * public class Counter implements SchedulerPlugin {
 *     private final AtomicLong count = new AtomicLong();
 *     public void transition(TransitionEvent e) {
 *         if (e.start() == SchedulerTaskState.PROCESSING && e.finish() == SchedulerTaskState.MEMORY) {
 *             count.incrementAndGet();
 *         }
 *     }
 *     public void restart(SchedulerView scheduler) { count.set(0); }
 * }
 * }</pre>
 *
 * <h2>Lifecycle (the host's contract)</h2>
 * <ul>
 *   <li>A plugin under a new name: {@link #start} on the loop thread, then it receives events.
 *       Unlike Dask's {@code add_plugin}, {@code start} is always called.</li>
 *   <li>Same name, the newcomer idempotent: the newcomer is ignored, the running one stays, and
 *       the caller is told.</li>
 *   <li>Same name, not idempotent: the old plugin's {@link #close} then the new one's
 *       {@link #start}, between two stimuli: every event goes to exactly one of them (Dask never
 *       closes the old one).</li>
 *   <li>A bundle update hands over without loss: events that happen while the bundle is between
 *       revisions are held and delivered to the new revision right after its {@code start}.</li>
 *   <li>A plugin leaves (bundle stopped or uninstalled, or removed by name): {@link #close} after
 *       its last event. Removing an unknown name is an error.</li>
 *   <li>{@link #start} throws: the plugin is not added and the caller (shell, client, bundle)
 *       gets the error; a bundle's plugin is shown FAILED with the cause.</li>
 * </ul>
 *
 * <h2>Calls</h2>
 * Synchronous plugins (the default) are called on the scheduler loop (one call at a time, in
 * order; not always on the same thread, see the package documentation), after the transition was applied, and may read live state through the {@link SchedulerView} given to
 * {@code start}. They should be quick: time per call is measured, and slow calls are logged. A
 * plugin doing I/O should declare {@link AsyncDelivery}: it then receives the same immutable
 * events on its own thread through a bounded queue and must not touch the view.
 *
 * <p>A hook that throws is logged at WARN (plugin name, hook, key; repeats rate-limited) and
 * counted; the scheduler carries on. After a configurable number of consecutive failures
 * (default 10; 0 disables it) the plugin is set FAILED and receives nothing more.
 *
 * <p>Hooks iterate a snapshot of the plugins: a plugin added during a hook is not called for that
 * event.
 *
 * @since 1.0
 */
@ConsumerType
public interface SchedulerPlugin {

    /**
     * Called once, on the loop thread, before the first event (by the default
     * {@link #start(SchedulerView, PluginContext)}). Keep {@code scheduler} to read live state from
     * synchronous hooks.
     *
     * @throws Exception to refuse being added; the caller gets the error
     */
    default void start(SchedulerView scheduler) throws Exception {
    }

    /**
     * What the host calls to start the plugin: once, on the loop thread, before the first event.
     * The default calls {@link #start(SchedulerView)}; override this one instead to keep
     * {@code context}, e.g. to call {@link PluginContext#interestChanged()} when the transitions
     * the plugin wants change.
     *
     * @throws Exception to refuse being added; the caller gets the error
     * @since 1.4
     */
    default void start(SchedulerView scheduler, PluginContext context) throws Exception {
        start(scheduler);
    }

    /** Called once when the scheduler begins to close, before {@link #close}. */
    default void beforeClose() {
    }

    /** Called once when the plugin leaves or the scheduler closes, after its last event. */
    default void close() throws Exception {
    }

    /** New tasks exist and have not yet transitioned. */
    default void updateGraph(GraphEvent event) {
    }

    /**
     * The scheduler cleared its task state (every task was forgotten, which {@link #transition}
     * saw); reset any counters. Workers are reset in place: unlike Dask's restart, which removes
     * and re-adds them, it calls no {@link #removeWorker} or {@link #addWorker}.
     */
    default void restart(SchedulerView scheduler) {
    }

    /**
     * Which transitions this plugin wants {@link #transition} for; all of them unless overridden.
     * The host asks once per pair of states, on the loop thread, when the plugin is added and
     * again each time the plugin calls {@link PluginContext#interestChanged()} (never per event),
     * and keeps the answers: the answer may depend on the two states and on the plugin's own state
     * (e.g. whether anyone is watching) only if the plugin calls {@code interestChanged()} whenever
     * that state changes (since 1.4; before, on the two states only). An event nobody wants is not
     * even built: a plugin that needs, say, only tasks leaving {@code processing} costs the
     * scheduler one event per task instead of four, and one that wants nothing for now costs
     * nothing per task. While a plugin's bundle is between revisions every transition is held for
     * the next revision, whatever either revision wants.
     *
     * @since 1.2
     */
    default boolean wantsTransition(SchedulerTaskState start, SchedulerTaskState finish) {
        return true;
    }

    /**
     * A task changed state: once per elementary transition (of those
     * {@link #wantsTransition wanted}).
     */
    default void transition(TransitionEvent event) {
    }

    /** A worker joined, before it is given work. */
    default void addWorker(WorkerEvent event) {
    }

    /** A worker left, after its tasks were rescheduled. */
    default void removeWorker(WorkerEvent event) {
    }

    default void addClient(ClientEvent event) {
    }

    default void removeClient(ClientEvent event) {
    }

    /** A structured event was logged; called once per topic. */
    default void logEvent(LogEvent event) {
    }

    /**
     * A short line about the plugin's own state (e.g. {@code connected, 1200 published}), shown
     * with the plugin by {@code weft:plugins}; {@code null} (the default) shows nothing. Called on
     * the loop thread whenever the status is asked for, also for an asynchronous plugin while its
     * own thread runs: it must be quick, must not block and must be safe to call from any thread.
     *
     * @since 1.3
     */
    default String statusLine() {
        return null;
    }

    /**
     * Which of the candidate workers this plugin allows to be closed. The default allows all.
     */
    default Set<String> validWorkersDownscaling(DownscalingRequest request) {
        return request.candidates();
    }
}
