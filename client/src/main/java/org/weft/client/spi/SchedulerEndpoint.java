package org.weft.client.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A scheduler a client can connect to. In a Weft runtime the local cluster registers one as an
 * OSGi service, so code inside the framework (shell commands, demo, tests) can do
 * {@code Client.connect(endpoint.connect())}.
 */
@ProviderType
public interface SchedulerEndpoint {

    /** The scheduler's address, e.g. {@code inproc://local}. */
    String address();

    /** A new, unopened connection for one client. */
    SchedulerConnection connect();
}
