package org.weft.scheduler.core.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

/**
 * All the tasks clients of one simulation may submit (a random DAG, dependencies before
 * dependents), and the outcome of every key computed directly from the task functions: a value,
 * or an error that must blame one of the keys whose own function throws.
 */
final class SimGraph {

    /** What a key must end as: a value, or an error blamed on one of {@code blames}. */
    record Outcome(Long value, Set<String> blames) {
        boolean erred() {
            return value == null;
        }
    }

    final Map<String, TaskSpec> specs = new LinkedHashMap<>();
    final Map<String, Outcome> expected = new LinkedHashMap<>();
    /** The exception text of each key whose own function throws. */
    final Map<String, String> failureText = new LinkedHashMap<>();
    /** Keys whose task asks for {@link #GPU} (only workers offering it run them). */
    final Set<String> needsGpu = new HashSet<>();
    /** Keys whose task may run only on one named worker (not loosely): key → that worker's address. */
    final Map<String, String> strictlyOn = new HashMap<>();
    static final String GPU = "GPU";

    /**
     * @param fragile the chance that a non-root task is {@code frag} (which throws for one input in five)
     */
    static SimGraph random(Random random, int size, double fragile) {
        return random(random, size, fragile, null, 0, 0);
    }

    /**
     * As {@link #random(Random, int, double, Random, double, double)}, then some non-root tasks get
     * a worker restriction (one of {@code w0}-{@code w4}, half of them loose), drawn from {@code restrictions}.
     */
    static SimGraph random(Random random, int size, double fragile, Random features, double gpu, double slow,
            Random restrictions, double restricted) {
        SimGraph g = random(random, size, fragile, features, gpu, slow);
        if (restricted == 0) {
            return g;
        }
        for (Map.Entry<String, TaskSpec> e : g.specs.entrySet()) {
            TaskSpec t = e.getValue();
            // not GPU tasks: a named worker without a GPU could never run them
            if (!t.dependencies().isEmpty() && restrictions.nextDouble() < restricted && t.resources().isEmpty()) {
                String on = "w" + restrictions.nextInt(5);
                boolean loose = restrictions.nextBoolean();
                e.setValue(new TaskSpec(t.key(), t.function(), t.args(), t.retries(), t.priority(), Set.of(on), loose,
                        t.resources()));
                if (!loose) {
                    g.strictlyOn.put(t.key(), on);
                }
            }
        }
        return g;
    }

    /**
     * @param features draws for the task features below (a generator of its own, so a seed with
     *        neither feature is the same graph as without them); null if both shares are 0
     * @param gpu the share of non-root tasks that ask for a GPU
     * @param slow the share of non-root tasks that are {@code slow} (their run secedes)
     */
    static SimGraph random(Random random, int size, double fragile, Random features, double gpu, double slow) {
        SimGraph g = new SimGraph();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<Object> args = new ArrayList<>();
            String function;
            if (i < 2 || random.nextInt(10) < 3) {
                function = "inc";
            } else {
                function = random.nextDouble() < fragile ? "frag" : random.nextBoolean() ? "inc" : "add";
                if (slow > 0 && features.nextDouble() < slow) {
                    function = "slow";
                }
                int deps = 1 + random.nextInt(3);
                for (int d = 0; d < deps; d++) {
                    // mostly recent keys, so the graph has depth; sometimes any earlier one (wide fan-in)
                    int window = random.nextInt(4) == 0 ? keys.size() : Math.min(keys.size(), 12);
                    args.add(new TaskRef(keys.get(keys.size() - 1 - random.nextInt(window))));
                }
            }
            args.add((long) random.nextInt(100));
            String key = function + "-" + i;
            int retries = random.nextInt(10) == 0 ? 1 : 0;
            Map<String, Double> resources = Map.of();
            if (gpu > 0 && !args.isEmpty() && args.get(0) instanceof TaskRef && features.nextDouble() < gpu) {
                resources = Map.of(GPU, 1.0);
                g.needsGpu.add(key);
            }
            g.add(new TaskSpec(key, function, args, retries, 0, Set.of(), false, resources));
            keys.add(key);
        }
        return g;
    }

    private void add(TaskSpec spec) {
        specs.put(spec.key(), spec);
        Set<String> blames = new LinkedHashSet<>();
        List<Object> values = new ArrayList<>();
        for (Object arg : spec.args()) {
            if (arg instanceof TaskRef ref) {
                Outcome dep = expected.get(ref.key());
                if (dep.erred()) {
                    blames.addAll(dep.blames());
                } else {
                    values.add(dep.value());
                }
            } else {
                values.add(arg);
            }
        }
        if (!blames.isEmpty()) {
            expected.put(spec.key(), new Outcome(null, blames));
            return;
        }
        try {
            expected.put(spec.key(), new Outcome(SimFunctions.apply(spec.function(), values), Set.of()));
        } catch (ArithmeticException e) {
            failureText.put(spec.key(), SimFunctions.exceptionText(e));
            expected.put(spec.key(), new Outcome(null, Set.of(spec.key())));
        }
    }

    /** The specs of {@code keys} and everything they depend on, dependencies first. */
    List<TaskSpec> closure(Collection<String> keys) {
        Set<String> needed = new HashSet<>();
        List<String> todo = new ArrayList<>(keys);
        while (!todo.isEmpty()) {
            String key = todo.remove(todo.size() - 1);
            if (needed.add(key)) {
                todo.addAll(specs.get(key).dependencies());
            }
        }
        List<TaskSpec> out = new ArrayList<>();
        for (TaskSpec spec : specs.values()) {
            if (needed.contains(spec.key())) {
                out.add(spec);
            }
        }
        return out;
    }

    List<String> keys() {
        return new ArrayList<>(specs.keySet());
    }
}
