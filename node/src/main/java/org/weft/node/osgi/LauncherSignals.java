package org.weft.node.osgi;

import java.util.function.IntConsumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to the {@code bin/weft} launcher through services of JDK types it registers on the system
 * bundle ({@code Runnable} with {@code weft.ready=true}, {@code IntConsumer} with
 * {@code weft.exit=true}). Outside the launcher (tests, other hosts) these are simply absent.
 */
public final class LauncherSignals {

    private static final Logger LOG = LoggerFactory.getLogger(LauncherSignals.class);

    private LauncherSignals() {
    }

    public static void ready(BundleContext context) {
        for (ServiceReference<Runnable> ref : find(context, Runnable.class, "(weft.ready=true)")) {
            Runnable ready = context.getService(ref);
            if (ready != null) {
                try {
                    ready.run();
                } finally {
                    context.ungetService(ref);
                }
            }
        }
    }

    /**
     * A line for the user on the launcher's standard output, e.g. {@code scheduler at tcp://...}
     * (the launcher's {@code Consumer<String>} with {@code weft.announce=true}); logged as well.
     */
    @SuppressWarnings("unchecked")
    public static void announce(BundleContext context, String line) {
        LOG.info("{}", line);
        for (ServiceReference<java.util.function.Consumer> ref : find(context, java.util.function.Consumer.class,
                "(weft.announce=true)")) {
            java.util.function.Consumer<String> out = context.getService(ref);
            if (out != null) {
                try {
                    out.accept(line);
                } finally {
                    context.ungetService(ref);
                }
            }
        }
    }

    /** @return whether a launcher was there to take the exit code */
    public static boolean exit(BundleContext context, int code) {
        boolean told = false;
        for (ServiceReference<IntConsumer> ref : find(context, IntConsumer.class, "(weft.exit=true)")) {
            IntConsumer exit = context.getService(ref);
            if (exit != null) {
                exit.accept(code);
                told = true;
            }
        }
        return told;
    }

    private static <T> java.util.Collection<ServiceReference<T>> find(BundleContext context, Class<T> type, String filter) {
        try {
            return context.getServiceReferences(type, filter);
        } catch (InvalidSyntaxException | IllegalStateException e) {
            LOG.debug("no launcher signal {} {}", type.getSimpleName(), filter, e);
            return java.util.List.of();
        }
    }
}
