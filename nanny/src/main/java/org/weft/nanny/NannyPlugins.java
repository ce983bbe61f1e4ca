package org.weft.nanny;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.NannyPlugin;
import org.weft.plugin.api.NannyView;

/**
 * The nanny's plugins by name, after the {@link NannyPlugin} contract: setup on arrival, the same
 * name replaces (old teardown, new setup) unless the newcomer is idempotent, teardown on leaving
 * and when the nanny stops, a restart of the worker after the setup of a plugin that asks for one.
 * Only the nanny's loop calls it.
 */
final class NannyPlugins {

    private static final Logger LOG = LoggerFactory.getLogger(NannyPlugins.class);

    /** A plugin set up on this nanny; {@code id} is whatever its registration is known by (a service id). */
    private record Entry(Object id, String name, NannyPlugin plugin) {
    }

    private final NannyView nanny;
    private final Restarter restarter;
    private final Map<String, Entry> byName = new LinkedHashMap<>();

    /** Restarts the worker after a restart-flagged plugin's setup. */
    interface Restarter {
        void restartAfterSetup(String pluginName);
    }

    NannyPlugins(NannyView nanny, Restarter restarter) {
        this.nanny = nanny;
        this.restarter = restarter;
    }

    /** @return whether the plugin is now set up on this nanny */
    boolean add(Object id, String name, boolean idempotent, NannyPlugin plugin) {
        Entry old = byName.get(name);
        if (old != null && idempotent) {
            LOG.info("nanny plugin '{}' ignored: one with that name is already set up and the newcomer is idempotent", name);
            return false;
        }
        if (old != null) {
            byName.remove(name);
            teardown(old, "replaced by a new plugin of the same name");
        }
        try {
            plugin.setup(nanny);
        } catch (Exception | LinkageError e) {
            LOG.error("nanny plugin '{}' ({}) failed in setup and was not added: {}", name, plugin.getClass().getName(),
                    e.toString(), e);
            return false;
        }
        byName.put(name, new Entry(id, name, plugin));
        LOG.info("nanny plugin '{}' ({}) set up{}", name, plugin.getClass().getName(),
                plugin.restart() ? "; it asks for a worker restart" : "");
        if (plugin.restart()) {
            restarter.restartAfterSetup(name);
        }
        return true;
    }

    /** The registration {@code id} left: its plugin is torn down, if it is the one set up under its name. */
    void remove(Object id) {
        for (Entry e : new ArrayList<>(byName.values())) {
            if (e.id().equals(id)) {
                byName.remove(e.name());
                teardown(e, "removed");
            }
        }
    }

    /** The nanny stops: every plugin is torn down, last added first. */
    void teardownAll() {
        List<Entry> all = new ArrayList<>(byName.values());
        byName.clear();
        for (int i = all.size() - 1; i >= 0; i--) {
            teardown(all.get(i), "the nanny stops");
        }
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    private void teardown(Entry e, String why) {
        try {
            e.plugin().teardown(nanny);
            LOG.info("nanny plugin '{}' torn down ({})", e.name(), why);
        } catch (Exception | LinkageError x) {
            LOG.warn("nanny plugin '{}' failed in teardown ({}): {}", e.name(), why, x.toString(), x);
        }
    }
}
