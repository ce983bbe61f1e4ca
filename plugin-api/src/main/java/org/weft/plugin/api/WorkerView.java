package org.weft.plugin.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A worker as seen by its own {@link WorkerPlugin}: read-only, valid only on that worker's loop
 * thread (i.e. inside {@code setup}, {@code teardown} and synchronous hooks).
 *
 * @since 1.0
 */
@ProviderType
public interface WorkerView {

    String address();

    int nthreads();

    /** Every task this worker knows, by key. */
    Map<String, ? extends WorkerTaskView> tasks();
}
