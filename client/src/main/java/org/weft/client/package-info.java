/**
 * The Weft client library: connect to a scheduler, submit tasks and graphs, wait for and gather
 * their results, watch progress.
 *
 * <p>A program obtains a {@link org.weft.client.spi.SchedulerConnection} (from a local cluster, or
 * later a network transport), calls {@link Client#connect}, and works with {@link WeftFuture}s:
 *
 * <pre>{@code
 * try (Client client = Client.connect(connection)) {
 *     WeftFuture a = client.submit("inc", 1);
 *     WeftFuture b = client.submit("add", a, 10);      // a becomes a TaskRef: b depends on a
 *     Object result = b.get();                          // 12
 * }
 * }</pre>
 *
 * <p>Every blocking call of this package throws unchecked exceptions only: a failed task is a
 * {@link TaskFailedException}, a graph the scheduler refused a {@link GraphRejectedException}, a key
 * the scheduler forgot or a connection that went away a {@link KeyLostException}, a timed wait that
 * ran out a {@link WeftTimeoutException}, a cancelled future a
 * {@link java.util.concurrent.CancellationException}. An interrupted wait restores the thread's
 * interrupt flag and throws a {@link WeftException} whose cause is the
 * {@link InterruptedException}.
 *
 * <p>The package imports nothing but {@code org.weft.client.spi}, Jackson and the JDK, so it works
 * as an OSGi bundle and as a plain jar.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.weft.client;
