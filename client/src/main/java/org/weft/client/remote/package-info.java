/**
 * The client's side of the network protocol: {@link org.weft.client.remote.RemoteSchedulerConnection}
 * (what {@link org.weft.client.Client#connect(String)} opens), {@link org.weft.client.remote.ClientWire}
 * (how requests, tasks and reply values look on the wire; Weft's scheduler reads them with it), and
 * {@link org.weft.client.remote.SubmitMain} (the {@code weft submit} command). Applications use
 * {@link org.weft.client.Client}, not this package.
 *
 * @since 1.2
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.client.remote;
