package org.weft.plugin.api;

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

    /** Keys currently processing on this worker. */
    Set<String> processing();

    /** Keys whose results this worker holds. */
    Set<String> hasWhat();

    /** Total bytes of results held. */
    long nbytes();
}
