package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A nanny as seen by its {@link NannyPlugin}.
 *
 * @since 1.0
 */
@ProviderType
public interface NannyView {

    /** The address of the worker this nanny supervises. */
    String workerAddress();
}
