package org.weft.worker.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.weft.node.ResourceSpec;

/**
 * A worker's abstract resources (Dask's worker {@code resources}, e.g. {@code GPU=1,MEMORY=8e9}):
 * what it has in all and what the tasks running now leave free. Names are case-sensitive; a
 * quantity is any non-negative number. A task that asks for resources holds them from
 * {@code constrained → executing} until its run returns (also while it is long-running).
 */
public final class WorkerResources {

    /** Absorbs rounding when fractional quantities are taken and given back many times. */
    private static final double SLACK = 1e-9;

    private final Map<String, Double> held = new LinkedHashMap<>();
    private final Map<String, Double> total = Collections.unmodifiableMap(held);
    private final Map<String, Double> available;

    WorkerResources(Map<String, Double> total) {
        Map<String, Double> given = total == null ? Map.of() : total;
        check(given);
        held.putAll(given);
        this.available = new LinkedHashMap<>(held);
    }

    private static void check(Map<String, Double> resources) {
        resources.forEach((name, quantity) -> {
            if (name == null || name.isBlank() || quantity == null || !(quantity >= 0) || quantity.isInfinite()) {
                throw new IllegalArgumentException("bad resource " + name + "=" + quantity);
            }
        });
    }

    /** More resources, found after the worker started (e.g. {@code GPU=auto}); only while no task holds any. */
    void add(Map<String, Double> more) {
        check(more);
        if (!available.equals(held)) {
            throw new IllegalStateException("resources can be added only while no task holds any");
        }
        more.forEach((name, quantity) -> {
            if (held.containsKey(name)) {
                throw new IllegalArgumentException("resource '" + name + "' is given twice");
            }
        });
        held.putAll(more);
        available.putAll(more);
    }

    /** See {@link ResourceSpec#parse}: a worker's {@code --resources} and {@code worker.resources}. */
    public static Map<String, Double> parse(String spec) {
        return ResourceSpec.parse(spec);
    }

    /** Everything this worker has, read-only. */
    public Map<String, Double> total() {
        return total;
    }

    /** What the running tasks leave free now, read-only. */
    public Map<String, Double> available() {
        return Collections.unmodifiableMap(available);
    }

    /** Whether {@code wanted} is free now. */
    boolean fits(Map<String, Double> wanted) {
        return fitsIn(available, wanted);
    }

    /** Whether this worker could ever run a task wanting {@code wanted}, with nothing else running. */
    boolean canEverFit(Map<String, Double> wanted) {
        return fitsIn(total, wanted);
    }

    void acquire(Map<String, Double> wanted) {
        wanted.forEach((name, quantity) -> available.merge(name, -quantity, Double::sum));
    }

    void release(Map<String, Double> held) {
        held.forEach((name, quantity) -> available.merge(name, quantity, Double::sum));
    }

    /** Whether what is free equals what there is minus what the running tasks hold; null if so, else the problem. */
    String checkHeld(Map<String, Double> heldInAll) {
        for (Map.Entry<String, Double> e : total.entrySet()) {
            double expected = e.getValue() - heldInAll.getOrDefault(e.getKey(), 0.0);
            double actual = available.getOrDefault(e.getKey(), 0.0);
            if (Math.abs(expected - actual) > 1e-6 * Math.max(1, Math.abs(e.getValue())) || actual < -SLACK) {
                return "resource " + e.getKey() + ": " + actual + " free but " + e.getValue() + " in all and "
                        + heldInAll.getOrDefault(e.getKey(), 0.0) + " held";
            }
        }
        return null;
    }

    private static boolean fitsIn(Map<String, Double> pool, Map<String, Double> wanted) {
        for (Map.Entry<String, Double> e : wanted.entrySet()) {
            if (pool.getOrDefault(e.getKey(), 0.0) + SLACK < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "WorkerResources[total=" + total + ", available=" + available + "]";
    }
}
