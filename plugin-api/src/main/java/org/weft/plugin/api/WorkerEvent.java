package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A worker joined or left the cluster. {@code addWorker} is delivered before the worker is given
 * work; {@code removeWorker} after its tasks were rescheduled.
 *
 * @param worker the worker's address
 * @param nthreads its number of executor threads
 * @param stimulusId the id of the stimulus
 * @since 1.0
 */
@ProviderType
public record WorkerEvent(String worker, int nthreads, String stimulusId) {
}
