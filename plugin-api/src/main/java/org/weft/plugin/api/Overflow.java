package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the host does when an asynchronous plugin's queue is full.
 *
 * @since 1.0
 */
@ProviderType
public enum Overflow {
    /** The scheduler loop waits for room: nothing is lost, the scheduler slows to the plugin's pace. */
    BLOCK,
    /** The event is dropped and counted; the count is shown by {@code weft:plugins}. */
    DROP
}
