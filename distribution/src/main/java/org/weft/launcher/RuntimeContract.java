package org.weft.launcher;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

/**
 * The launcher's half of the contract with the Weft runtime. Only JDK types cross the boundary,
 * so nothing but the system bundle's context is shared. Registered before any bundle starts:
 * <ul>
 *   <li>{@code java.util.function.IntConsumer} with {@code weft.exit=true}: the runtime calls it
 *       with an exit status; the launcher stops the framework and the JVM exits with that status.
 *   <li>{@code java.lang.Runnable} with {@code weft.ready=true}: the runtime calls it once when the
 *       cluster is ready; the launcher prints its banner.
 *   <li>{@code java.util.function.Consumer<String>} with {@code weft.announce=true}: the runtime
 *       calls it with one line each time it has something a person or a script starting the
 *       process must see, whatever the console: where it listens and whom it joined, e.g.
 *       {@code scheduler at tcp://127.0.0.1:8786} or
 *       {@code worker worker-1 at tcp://127.0.0.1:40123 joined tcp://127.0.0.1:8786}. The launcher
 *       prints the line on stdout at once (flushed) and logs it; scripts and tests read the
 *       scheduler's address from it. Lines are printed whole, in the order of the calls.
 * </ul>
 * An exit asked for while the launcher is still starting bundles (a short {@code weft demo} ends
 * before the shell's start level is reached) waits until that start is over: stopping bundles
 * that are being started is what made Gogo warn and fail at shutdown.
 */
final class RuntimeContract {

    static final String EXIT_PROPERTY = "weft.exit";
    static final String READY_PROPERTY = "weft.ready";
    static final String ANNOUNCE_PROPERTY = "weft.announce";
    private static final Logger LOG = Logger.getLogger(RuntimeContract.class.getName());

    private final Framework framework;
    private final Runnable onReady;
    private final AtomicReference<Integer> requestedExit = new AtomicReference<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch announced = new CountDownLatch(1);

    RuntimeContract(Framework framework, Runnable onReady) {
        this.framework = framework;
        this.onReady = onReady;
    }

    void register(BundleContext systemContext) {
        IntConsumer exit = this::exit;
        Runnable readiness = this::ready;
        systemContext.registerService(IntConsumer.class, exit, flag(EXIT_PROPERTY));
        systemContext.registerService(Runnable.class, readiness, flag(READY_PROPERTY));
        Consumer<String> announce = this::announce;
        systemContext.registerService(consumerType(), announce, flag(ANNOUNCE_PROPERTY));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class<Consumer<String>> consumerType() {
        return (Class) Consumer.class;
    }

    /** One line for stdout, whatever the console; never null or several lines at once. */
    private void announce(String line) {
        if (line == null) {
            return;
        }
        String text = line.strip();
        LOG.info(() -> "Announced: " + text);
        synchronized (System.out) {
            System.out.println(text);
            System.out.flush();
        }
        announced.countDown();
    }

    /**
     * Waits until the runtime announced its first line (a scheduler process: {@code scheduler at
     * tcp://...}, once it accepts workers and clients), asked to exit, or the framework stopped
     * starting, at most {@code timeoutMillis}.
     *
     * @return whether a line was announced
     */
    boolean awaitAnnounced(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!announced.await(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (requestedExit.get() != null || (framework.getState() & (org.osgi.framework.Bundle.STARTING
                    | org.osgi.framework.Bundle.ACTIVE)) == 0 || System.nanoTime() - deadline > 0) {
                return false;
            }
        }
        return true;
    }

    /** The status the runtime asked to exit with, if it did. */
    OptionalInt requestedExit() {
        Integer code = requestedExit.get();
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /** The launcher has started every bundle it will start (or gave up): an exit may now stop them. */
    void startFinished() {
        started.countDown();
    }

    boolean isReady() {
        return ready.get();
    }

    private void exit(int code) {
        if (!requestedExit.compareAndSet(null, code)) {
            return;
        }
        LOG.info(() -> "The runtime asked to exit with status " + code);
        // Never stop the framework on the caller's thread: it belongs to a bundle being stopped.
        Thread stopper = new Thread(() -> {
            try {
                started.await();
                framework.stop();
            } catch (BundleException e) {
                LOG.severe(() -> "Cannot stop the framework: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "weft-exit");
        stopper.start();
    }

    private void ready() {
        if (ready.compareAndSet(false, true)) {
            onReady.run();
        }
    }

    private static Dictionary<String, Object> flag(String name) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(name, Boolean.TRUE);
        return properties;
    }
}
