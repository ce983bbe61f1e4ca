/**
 * The Weft client library: connect to a scheduler, submit tasks and graphs, wait for and gather
 * their results, watch progress.
 *
 * <p>A program connects to a scheduler process with {@link Client#connect(String)}
 * ({@code tcp://host:port}), or to a local cluster in its own JVM with a
 * {@link org.weft.client.spi.SchedulerConnection} it obtained, and works with {@link WeftFuture}s:
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
 * <p>The bundle imports nothing but Weft's protocol and TCP transport ({@code org.weft.protocol},
 * {@code org.weft.comm.netty}, with Netty and Jackson Smile), Jackson and the JDK, so it works as an
 * OSGi bundle and as a plain jar with those on the class path.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package org.weft.client;
