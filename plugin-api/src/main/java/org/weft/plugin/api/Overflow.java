package org.weft.plugin.api;

/**
 * What the host does when an asynchronous plugin's queue is full.
 *
 * @since 1.0
 */
public enum Overflow {
    /** The scheduler loop waits for room: nothing is lost, the scheduler slows to the plugin's pace. */
    BLOCK,
    /** The event is dropped and counted; the count is shown by {@code weft:plugins}. */
    DROP
}
