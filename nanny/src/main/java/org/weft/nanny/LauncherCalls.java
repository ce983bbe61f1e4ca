package org.weft.nanny;

import java.util.function.Consumer;
import java.util.function.IntConsumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's services on the system bundle (only JDK types cross): {@code weft.exit}
 * ({@code IntConsumer}), {@code weft.ready} ({@code Runnable}) and {@code weft.announce}
 * ({@code Consumer<String>}, a line on stdout). Without a launcher (a bare framework) the calls are
 * logged instead.
 */
final class LauncherCalls {

    private static final Logger LOG = LoggerFactory.getLogger(LauncherCalls.class);

    private LauncherCalls() {
    }

    static void exit(BundleContext context, int status) {
        if (!call(context, IntConsumer.class, "weft.exit", exit -> exit.accept(status))) {
            LOG.warn("no launcher to exit with status {}", status);
        }
    }

    static void ready(BundleContext context) {
        call(context, Runnable.class, "weft.ready", Runnable::run);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void announce(BundleContext context, String line) {
        if (!call(context, (Class<Consumer>) (Class) Consumer.class, "weft.announce", out -> out.accept(line))) {
            LOG.info("{}", line);
        }
    }

    /** Calls the first launcher service of {@code type} flagged {@code flag}; @return whether there was one */
    private static <T> boolean call(BundleContext context, Class<T> type, String flag, Consumer<T> use) {
        try {
            for (ServiceReference<T> ref : context.getServiceReferences(type, "(" + flag + "=true)")) {
                T service = context.getService(ref);
                if (service != null) {
                    try {
                        use.accept(service);
                        return true;
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            LOG.debug("no {} service: {}", flag, e.getMessage());
        }
        return false;
    }
}
