package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a running task may know about itself.
 *
 * @since 1.0
 */
@ProviderType
public interface TaskContext {

    /** The task's key. */
    String key();

    /** The address of the worker running it. */
    String worker();

    /**
     * Leaves the worker's executor threads (Dask's {@code secede()}): the task goes on running on
     * its own thread, but no longer counts against the worker's threads, so another task can start.
     * The task becomes {@code long-running} ({@link WorkerTaskState#LONG_RUNNING}) and the scheduler
     * is told. Call it before waiting a long time for something other tasks produce. Resources the
     * task holds stay held. Calling it again, or on a task that already seceded, does nothing.
     *
     * @since 1.1
     */
    void secede();

    /**
     * Takes an executor thread back after {@link #secede()} (Dask's {@code rejoin()}): blocks until
     * the worker has a free thread, ahead of tasks waiting to start. The task stays
     * {@code long-running}. Returns at once if the task did not secede.
     *
     * @since 1.1
     */
    void rejoin();
}
