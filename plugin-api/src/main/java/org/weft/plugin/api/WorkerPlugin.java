package org.weft.plugin.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Extends every worker: setup, task transitions, teardown.
 *
 * <p>Register it as a <em>prototype-scope</em> OSGi service
 * ({@code @Component(scope = ServiceScope.PROTOTYPE)}) named with {@link PluginName}: each worker
 * gets its own instance. Plugins already registered when a worker joins are all set up before it
 * runs any task.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #setup} runs on the worker's loop thread before the plugin sees any event.</li>
 *   <li>Same name again: the old instance's {@link #teardown}, then the new one's
 *       {@link #setup} (idempotent newcomers are ignored).</li>
 *   <li>{@link #setup} throws: the error is returned to whoever registered the plugin for that
 *       worker, and the plugin's state on that worker is FAILED, visible in {@code weft:plugins};
 *       also on workers that join later (Dask only logs those).</li>
 *   <li>{@link #teardown} runs when the plugin leaves or the worker closes.</li>
 *   <li>A hook that throws is logged and counted; the worker carries on.</li>
 * </ul>
 *
 * @since 1.0
 */
@ConsumerType
public interface WorkerPlugin {

    /** Attach to a worker. Keep {@code worker} to read its state from synchronous hooks. */
    default void setup(WorkerView worker) throws Exception {
    }

    /** Detach from a worker: the plugin left, or the worker is closing. */
    default void teardown(WorkerView worker) throws Exception {
    }

    /** A task changed state on this worker; {@code finish} is the state actually reached. */
    default void transition(WorkerTransitionEvent event) {
    }

    /** The worker released a key. */
    default void releaseKey(ReleaseKeyEvent event) {
    }
}
