package org.weft.scheduler.core.osgi;

import java.util.ArrayDeque;
import java.util.Deque;

import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.node.osgi.OsgiLogBridge;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerView;
import org.weft.pluginhost.PluginOrigin;
import org.weft.scheduler.core.cluster.SchedulerNode;

/**
 * Plugin services that give no object: their component cannot be created, typically because the
 * class does not load ({@code NoClassDefFoundError} for an optional import that is absent). The
 * framework then returns null from {@code getService} and reports the cause only as a
 * {@link FrameworkEvent#ERROR} ({@link ServiceException#FACTORY_EXCEPTION}), delivered a moment
 * later. Such a scheduler plugin is listed FAILED at once and its row gets the cause when the
 * event arrives (a stand-in plugin whose start fails with the reason is added again under the
 * same name). A worker plugin's stand-in is the worker bundle's binder's.
 */
final class UnavailablePlugins implements FrameworkListener {

    private static final Logger LOG = LoggerFactory.getLogger(UnavailablePlugins.class);
    private static final String UNAVAILABLE = "its component could not be created";

    private final SchedulerNode scheduler;
    private final long binderBundle;
    /** Scheduler plugins listed FAILED whose cause has not arrived yet, oldest first. */
    private final Deque<Pending> unexplained = new ArrayDeque<>();
    /** A cause that arrived before its plugin was listed. */
    private String early;

    private record Pending(PluginOptions options, PluginOrigin origin) {
    }

    UnavailablePlugins(SchedulerNode scheduler, long binderBundle) {
        this.scheduler = scheduler;
        this.binderBundle = binderBundle;
    }

    /** A scheduler plugin service whose getService gave null: listed FAILED, with its cause when known. */
    void schedulerPlugin(PluginOptions options, PluginOrigin origin) {
        synchronized (this) { // listed under the lock: the row without its cause goes to the loop before the row with it
            String cause = early;
            early = null;
            if (cause == null) {
                unexplained.add(new Pending(options, origin));
            }
            list(options, origin, cause != null ? UNAVAILABLE + ": " + cause : UNAVAILABLE + " (the cause follows in weft.log)");
        }
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() != FrameworkEvent.ERROR || event.getBundle() == null
                || event.getBundle().getBundleId() != binderBundle
                || !(event.getThrowable() instanceof ServiceException e) || e.getType() != ServiceException.FACTORY_EXCEPTION) {
            return;
        }
        String cause = OsgiLogBridge.chain(e.getCause() != null ? e.getCause() : e);
        synchronized (this) {
            Pending pending = unexplained.poll();
            if (pending == null) {
                early = cause;
                return;
            }
            list(pending.options(), pending.origin(), UNAVAILABLE + ": " + cause);
        }
    }

    /**
     * Logs the plugin and hands its stand-in to the scheduler loop, which adds plugins in the order
     * asked; called under this object's lock, so a plugin's row with its cause always replaces the
     * one without (the framework's event can come while the service's own thread is listing it).
     */
    private void list(PluginOptions options, PluginOrigin origin, String reason) {
        LOG.warn("scheduler plugin '{}' from {} {} cannot run: {}", options.name(), origin.bundle(), origin.version(),
                reason);
        scheduler.addPlugin(new UnavailablePlugin(reason), options, origin);
    }

    /** Stands in for a plugin whose object could not be made: its start fails with the reason. */
    private record UnavailablePlugin(String reason) implements SchedulerPlugin {

        @Override
        public void start(SchedulerView scheduler) {
            throw new IllegalStateException(reason);
        }
    }
}
