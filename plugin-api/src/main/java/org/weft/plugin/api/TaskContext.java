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
}
