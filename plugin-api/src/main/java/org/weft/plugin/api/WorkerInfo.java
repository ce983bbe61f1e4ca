package org.weft.plugin.api;

import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The scheduler's record of one worker, read-only. Valid only on the scheduler loop thread.
 *
 * @since 1.0
 */
@ProviderType
public interface WorkerInfo {

    String address();

    int nthreads();

    /**
     * The worker's host: the address without scheme and port ({@code localhost} for in-process
     * workers). Tasks restricted to a host may run on any worker there.
     *
     * @since 1.1
     */
    String host();

    /**
     * Abstract resources the worker offers, e.g. {@code GPU=1.0}; empty if none.
     *
     * @since 1.1
     */
    Map<String, Double> resources();

    /**
     * Expected seconds of work processing on this worker: each task's expected duration (a
     * moving average per key prefix, 0.5 s while unknown) plus the time to fetch its inputs.
     *
     * @since 1.1
     */
    double occupancy();

    /** Keys currently processing on this worker. */
    Set<String> processing();

    /**
     * How many tasks are processing on this worker, without building {@link #processing()}.
     *
     * @since 1.1
     */
    default int processingCount() {
        return processing().size();
    }

    /** Keys whose results this worker holds. */
    Set<String> hasWhat();

    /** Total bytes of results held. */
    long nbytes();
}
