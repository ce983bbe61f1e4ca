package org.weft.plugin.api;

import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The scheduler is choosing workers it could close. A plugin returns the subset it agrees to; every
 * plugin's answer is applied in turn.
 *
 * @param candidates worker addresses proposed for closing
 * @since 1.0
 */
@ProviderType
public record DownscalingRequest(Set<String> candidates) {
    public DownscalingRequest {
        candidates = Set.copyOf(candidates);
    }
}
