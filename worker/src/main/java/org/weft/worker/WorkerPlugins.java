package org.weft.worker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.weft.plugin.api.WorkerPlugin;

/**
 * The worker plugins registered for a set of workers (a local cluster's, or a worker process's
 * one): each factory gives every worker, present or joining later, its own instance, and gets it
 * back after the worker tears it down. Thread-safe.
 */
public final class WorkerPlugins {

    private final List<WorkerPluginFactory> factories = new CopyOnWriteArrayList<>();
    private final Map<WorkerPluginFactory, Map<String, WorkerPlugin>> instances = new ConcurrentHashMap<>();

    /** Registers {@code factory} and sets its plugin up on each of {@code nodes}. */
    public CompletableFuture<List<WorkerPluginOutcome>> add(WorkerPluginFactory factory, Collection<WorkerNode> nodes) {
        factories.add(factory);
        List<CompletableFuture<WorkerPluginOutcome>> all = new ArrayList<>();
        for (WorkerNode node : nodes) {
            all.add(setUp(factory, node));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    /** Sets every registered plugin up on a worker that joins. */
    public List<CompletableFuture<WorkerPluginOutcome>> setUpAll(WorkerNode node) {
        List<CompletableFuture<WorkerPluginOutcome>> setups = new ArrayList<>();
        for (WorkerPluginFactory factory : factories) {
            setups.add(setUp(factory, node));
        }
        return setups;
    }

    private CompletableFuture<WorkerPluginOutcome> setUp(WorkerPluginFactory factory, WorkerNode node) {
        WorkerPlugin instance;
        try {
            instance = factory.create();
        } catch (RuntimeException | LinkageError e) {
            return CompletableFuture.completedFuture(new WorkerPluginOutcome(node.address(), null, e));
        }
        instances.computeIfAbsent(factory, f -> new ConcurrentHashMap<>()).put(node.address(), instance);
        return node.addPlugin(instance, factory.options(), factory.origin())
                .handle((registration, error) -> {
                    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                    if (cause != null) {
                        forget(factory, node.address(), instance);
                    }
                    return new WorkerPluginOutcome(node.address(), registration, cause);
                });
    }

    /** The factory's plugins leave every worker (teardown), e.g. because their bundle stopped. */
    public CompletableFuture<Void> remove(WorkerPluginFactory factory, Function<String, WorkerNode> nodes) {
        return remove(factory, nodes, false);
    }

    /**
     * As {@link #remove(WorkerPluginFactory, Function)}; with {@code awaitReplacement} (the bundle is
     * being updated) each worker holds the plugin's events for the new revision's plugin.
     */
    public CompletableFuture<Void> remove(WorkerPluginFactory factory, Function<String, WorkerNode> nodes,
            boolean awaitReplacement) {
        factories.remove(factory);
        Map<String, WorkerPlugin> byWorker = instances.remove(factory);
        if (byWorker == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<?>> all = new ArrayList<>();
        byWorker.forEach((address, instance) -> {
            WorkerNode node = nodes.apply(address);
            if (node != null) {
                all.add(node.removePluginInstance(instance, awaitReplacement)
                        .whenComplete((r, e) -> factory.release(instance)));
            }
        });
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
    }

    /** Removes every factory registered under {@code name}; completes with whether there was one. */
    public CompletableFuture<Boolean> remove(String name, Function<String, WorkerNode> nodes) {
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        for (WorkerPluginFactory factory : factories) {
            if (factory.options().name().equals(name)) {
                removals.add(remove(factory, nodes));
            }
        }
        return CompletableFuture.allOf(removals.toArray(new CompletableFuture[0])).thenApply(v -> !removals.isEmpty());
    }

    public List<String> names() {
        return factories.stream().map(f -> f.options().name()).distinct().toList();
    }

    private void forget(WorkerPluginFactory factory, String worker, WorkerPlugin instance) {
        Map<String, WorkerPlugin> byWorker = instances.get(factory);
        if (byWorker != null && byWorker.remove(worker, instance)) {
            factory.release(instance);
        }
    }

    /** A worker closed (its plugins torn down): its instances go back to their factories. */
    public void releaseInstancesOf(String worker) {
        instances.forEach((factory, byWorker) -> {
            WorkerPlugin instance = byWorker.remove(worker);
            if (instance != null) {
                factory.release(instance);
            }
        });
    }
}
