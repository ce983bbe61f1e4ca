package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A nanny as seen by its {@link NannyPlugin}: the worker process it supervises. Safe to call from
 * any thread; the values describe the worker process running now.
 *
 * @since 1.0
 */
@ProviderType
public interface NannyView {

    /**
     * The address of the worker this nanny supervises, {@code tcp://HOST:PORT}, once it joined its
     * scheduler; null while no worker process has joined (starting, or between two processes).
     */
    String workerAddress();

    /**
     * The worker's name ({@code --name}), or null when it has none (its address names it).
     *
     * @since 1.3
     */
    String workerName();

    /**
     * The process id of the worker process running now, or -1 while none runs.
     *
     * @since 1.3
     */
    long workerPid();

    /**
     * The scheduler's address the worker joins, {@code tcp://HOST:PORT}.
     *
     * @since 1.3
     */
    String schedulerAddress();

    /**
     * The worker's memory limit in bytes ({@code --memory-limit}): past it the nanny restarts the
     * worker; 0 when there is none.
     *
     * @since 1.3
     */
    long memoryLimit();

    /**
     * How many times this nanny has started a worker process since it started (1 after the first).
     *
     * @since 1.3
     */
    int workerStarts();

    /**
     * Asks the nanny to restart its worker: the running process is stopped (SIGTERM, then killed
     * if it lingers) and a fresh one started at once, as Dask's {@code Nanny.restart}. Returns at
     * once; the restart happens on the nanny's thread, and a restart asked for during a hook runs
     * after that hook. The reason is logged.
     *
     * @since 1.3
     */
    void restartWorker(String reason);
}
