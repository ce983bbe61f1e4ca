package org.weft.preload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.PreloadNode;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.WorkerPlugin;

/**
 * The {@link PreloadNode} of a node that does not run yet: it keeps the plugins the preloads add,
 * with the preload that added each, for the host to register once the node exists and before it
 * opens or joins anything ({@link #schedulerPlugins()}, {@link #workerPlugins()}).
 */
public final class StartingNode implements PreloadNode {

    /** A plugin a preload added, and which preload. */
    public record Added<P>(P plugin, PluginOptions options, PreloadSpec preload) {
    }

    private final Role role;
    private final String schedulerAddress;
    private final Map<Class<?>, Object> adaptables;
    private final List<Added<SchedulerPlugin>> schedulerPlugins = new ArrayList<>();
    private final List<Added<WorkerPlugin>> workerPlugins = new ArrayList<>();
    private PreloadSpec adding;

    /**
     * @param adaptables what {@link #adapt} offers, by type (a client: its {@code Client})
     */
    public StartingNode(Role role, String schedulerAddress, Map<Class<?>, Object> adaptables) {
        this.role = Objects.requireNonNull(role, "role");
        this.schedulerAddress = schedulerAddress;
        this.adaptables = Map.copyOf(adaptables);
    }

    public StartingNode(Role role, String schedulerAddress) {
        this(role, schedulerAddress, Map.of());
    }

    /** The preload whose setup runs now, for {@link Added#preload()}. */
    void addingFor(PreloadSpec spec) {
        this.adding = spec;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public String schedulerAddress() {
        return schedulerAddress;
    }

    @Override
    public synchronized void addPlugin(SchedulerPlugin plugin, PluginOptions options) {
        only(Role.SCHEDULER, "scheduler plugin");
        schedulerPlugins.add(new Added<>(Objects.requireNonNull(plugin, "plugin"), Objects.requireNonNull(options, "options"), adding));
    }

    @Override
    public synchronized void addPlugin(WorkerPlugin plugin, PluginOptions options) {
        only(Role.WORKER, "worker plugin");
        workerPlugins.add(new Added<>(Objects.requireNonNull(plugin, "plugin"), Objects.requireNonNull(options, "options"), adding));
    }

    private void only(Role wanted, String what) {
        if (role != wanted) {
            throw new IllegalStateException("a " + what + " can be added only by a " + wanted.name().toLowerCase(java.util.Locale.ROOT)
                    + "'s preload; this is a " + role.name().toLowerCase(java.util.Locale.ROOT) + "'s");
        }
    }

    @Override
    public <T> Optional<T> adapt(Class<T> type) {
        return Optional.ofNullable(adaptables.get(type)).map(type::cast);
    }

    /** The scheduler plugins the preloads added, in the order they were added. */
    public synchronized List<Added<SchedulerPlugin>> schedulerPlugins() {
        return List.copyOf(schedulerPlugins);
    }

    /** The worker plugins the preloads added, in the order they were added. */
    public synchronized List<Added<WorkerPlugin>> workerPlugins() {
        return List.copyOf(workerPlugins);
    }

    @Override
    public String toString() {
        return role.name().toLowerCase(java.util.Locale.ROOT) + " (scheduler " + schedulerAddress + ")";
    }
}
