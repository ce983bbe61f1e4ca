package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A client connected or disconnected.
 *
 * @param client the client's id
 * @since 1.0
 */
@ProviderType
public record ClientEvent(String client) {
}
