package org.weft.plugin.api;

/**
 * A client connected or disconnected.
 *
 * @param client the client's id
 * @since 1.0
 */
public record ClientEvent(String client) {
}
