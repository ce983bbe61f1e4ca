package org.weft.comm.netty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.util.NetUtil;

/**
 * Turns a {@link TcpAddress} into a socket address without blocking an event loop: an IP literal
 * at once, a host name on a daemon thread of its own ({@code weft-resolve-<n>}), as the JDK's
 * resolver blocks. Netty's default resolver would look the name up on the event loop that serves
 * the new channel, stalling every link on that loop for as long as the name server takes.
 */
final class HostResolver implements AutoCloseable {

    /** How a name becomes an address; the JDK's {@link InetAddress#getByName} unless a test says otherwise. */
    interface Lookup {
        InetAddress byName(String host) throws UnknownHostException;
    }

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final Lookup lookup;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread t = new Thread(runnable, "weft-resolve-" + THREAD_NUMBER.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    HostResolver(Lookup lookup) {
        this.lookup = lookup;
    }

    /** Completes with the resolved address, or with an {@link IOException} naming the host. */
    CompletableFuture<InetSocketAddress> resolve(TcpAddress address) {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(address.host());
        if (literal != null) {
            try {
                return CompletableFuture.completedFuture(
                        new InetSocketAddress(InetAddress.getByAddress(address.host(), literal), address.port()));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<InetSocketAddress> resolved = new CompletableFuture<>();
        try {
            threads.execute(() -> {
                try {
                    resolved.complete(new InetSocketAddress(lookup.byName(address.host()), address.port()));
                } catch (UnknownHostException e) {
                    resolved.completeExceptionally(new UnknownHostException("cannot resolve host '" + address.host()
                            + "' of " + address + (e.getMessage() == null ? "" : ": " + e.getMessage())));
                } catch (RuntimeException e) {
                    resolved.completeExceptionally(new IOException("cannot resolve host '" + address.host() + "': " + e, e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            resolved.completeExceptionally(new IOException("the transport is closed"));
        }
        return resolved;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
