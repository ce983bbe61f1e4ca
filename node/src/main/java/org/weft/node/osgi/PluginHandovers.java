package org.weft.node.osgi;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * The plugins whose events a plugin host holds while their bundle is stopped, perhaps to be updated:
 * a plugin unbound while its bundle is {@code STOPPING} is held under its name for the next revision;
 * the bundle started again ends the hold (the new revision's plugin took the events), the bundle
 * uninstalled discards what was held ({@code drop}, with the plugin's name). Both the scheduler's and
 * the workers' plugin binders listen with one each.
 */
public final class PluginHandovers implements SynchronousBundleListener {

    private final Map<Long, Set<String>> held = new ConcurrentHashMap<>();
    private final Consumer<String> drop;

    /** @param drop discards what the host holds for a plugin name */
    public PluginHandovers(Consumer<String> drop) {
        this.drop = drop;
    }

    /**
     * Whether {@code bundle} is stopping, in which case {@code name}'s events are to be held for its
     * next revision (and this remembers it, to drop them if the bundle is uninstalled instead).
     */
    public boolean holdIfStopping(Bundle bundle, String name) {
        if (bundle == null || bundle.getState() != Bundle.STOPPING) {
            return false;
        }
        held.computeIfAbsent(bundle.getBundleId(), b -> ConcurrentHashMap.newKeySet()).add(name);
        return true;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        long bundleId = event.getBundle().getBundleId();
        if (event.getType() == BundleEvent.UNINSTALLED) {
            // an uninstalled bundle will not come back: discard events held for its plugins
            Set<String> names = held.remove(bundleId);
            if (names != null) {
                names.forEach(drop);
            }
        } else if (event.getType() == BundleEvent.STARTED) {
            held.remove(bundleId);
        }
    }
}
