package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.DownscalingRequest;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.pluginhost.PluginOrigin;
import org.weft.pluginhost.SchedulerPluginHost;
import org.weft.protocol.TaskSpec;

/** Dask's workers_to_close and adaptive_target, with every plugin's validWorkersDownscaling in turn. */
class WorkersToCloseTest {

    private static final UnaryOperator<Set<String>> ALLOW_ALL = c -> c;
    private SchedulerState state;

    @BeforeEach
    void setUp() {
        state = new SchedulerState(new SchedulerConfig(true, 10_000, 3), null);
        state.addClient("c");
    }

    /** Runs a root task to memory on whichever worker gets it, with {@code nbytes}; returns that worker. */
    private String hold(String key, long nbytes) {
        state.updateGraph("c", List.of(new TaskSpec(key, "inc", List.of(1))), Set.of(key), "g-" + key);
        String worker = computeTarget();
        state.taskFinished(key, worker, nbytes, "Long", List.of(), "done-" + key);
        state.drainInstructions();
        return worker;
    }

    /** Submits a task that stays processing; returns its worker. */
    private String busy(String key) {
        state.updateGraph("c", List.of(new TaskSpec(key, "sleep", List.of(1000))), Set.of(key), "g-" + key);
        return computeTarget();
    }

    private String computeTarget() {
        return state.drainInstructions().stream().filter(SchedulerInstruction.ComputeTask.class::isInstance)
                .map(i -> ((SchedulerInstruction.ComputeTask) i).worker()).findFirst().orElseThrow();
    }

    @Test
    void idleWorkersFirstThenThoseHoldingLeastData() {
        state.addWorker("a", 1, "add-a");
        assertEquals("a", busy("y"));
        state.addWorker("b", 1, "add-b");
        assertEquals("b", hold("x", 1_000));
        assertEquals("b", busy("y2"));
        state.addWorker("c", 1, "add-c");
        assertEquals("c", hold("z", 10));
        state.taskFinished("y2", "b", 8, "Long", List.of(), "done-y2");
        List<String> expectedOrder = List.of("c", "b", "a");

        assertEquals(expectedOrder.subList(0, 1), state.workersToClose(1, null, ALLOW_ALL));
        assertEquals(expectedOrder.subList(0, 2), state.workersToClose(2, null, ALLOW_ALL));
        assertEquals(expectedOrder.subList(0, 1), state.workersToClose(null, 2, ALLOW_ALL), "target: keep 2");
        assertEquals(expectedOrder.subList(0, 2), state.workersToClose(null, null, ALLOW_ALL),
                "no count: the idle workers");
        assertEquals(expectedOrder, state.workersToClose(3, null, ALLOW_ALL), "n counts busy workers too, as in Dask");
        assertEquals(List.of(), state.workersToClose(0, null, ALLOW_ALL));
    }

    @Test
    void noCountKeepsOneWorkerAndNeverProposesABusyOne() {
        state.addWorker("a", 1, "add-a");
        state.addWorker("b", 1, "add-b");
        busy("y1");
        busy("y2");
        assertEquals(List.of(), state.workersToClose(null, null, ALLOW_ALL), "all busy");

        SchedulerState idle = new SchedulerState(new SchedulerConfig(true, 10_000, 3), null);
        idle.addWorker("a", 1, "add-a");
        idle.addWorker("b", 1, "add-b");
        assertEquals(List.of("a"), idle.workersToClose(null, null, ALLOW_ALL));
    }

    @Test
    void retiringWorkersAreNotProposed() {
        state.addWorker("a", 1, "add-a");
        state.addWorker("b", 1, "add-b");
        state.addWorker("c", 1, "add-c");
        assertEquals("a", hold("x", 10));
        state.retireWorkers(List.of("a"), "retire-a");
        assertTrue(state.workers().get("a").closingGracefully(), "waits for the copy of x");
        assertEquals(List.of("b", "c"), state.workersToClose(3, null, ALLOW_ALL));
    }

    @Test
    void everyPluginFilterAppliesInTurnOnTheNarrowedList() throws Exception {
        for (String w : List.of("a", "b", "c", "d")) {
            state.addWorker(w, 1, "add-" + w);
        }
        SchedulerPluginHost host = new SchedulerPluginHost(state, PluginHostConfig.DEFAULTS);
        List<Set<String>> seenByFirst = new ArrayList<>();
        List<Set<String>> seenBySecond = new ArrayList<>();
        List<Set<String>> seenByThird = new ArrayList<>();
        host.add(filter(seenByFirst, "a"), PluginOptions.named("no-a"), PluginOrigin.CODE);
        host.add(filter(seenBySecond, "b"), PluginOptions.named("no-b"), PluginOrigin.CODE);
        host.add(filter(seenByThird), PluginOptions.named("any"), PluginOrigin.CODE);

        List<String> chosen = state.workersToClose(3, null, host::validWorkersDownscaling);

        assertEquals(List.of("c"), chosen);
        assertEquals(List.of(Set.of("a", "b", "c")), seenByFirst);
        assertEquals(List.of(Set.of("b", "c")), seenBySecond);
        assertEquals(List.of(Set.of("c")), seenByThird);
    }

    private static SchedulerPlugin filter(List<Set<String>> seen, String... vetoed) {
        return new SchedulerPlugin() {
            @Override
            public Set<String> validWorkersDownscaling(DownscalingRequest request) {
                seen.add(request.candidates());
                Set<String> allowed = new HashSet<>(request.candidates());
                allowed.removeAll(List.of(vetoed));
                return allowed;
            }
        };
    }

    @Test
    void adaptiveTargetFollowsExpectedWorkOverTargetDuration() {
        assertEquals(0, state.adaptiveTarget(5_000, ALLOW_ALL), "no work, no workers");
        List<TaskSpec> specs = new ArrayList<>();
        Set<String> keys = new java.util.LinkedHashSet<>();
        for (int i = 0; i < 40; i++) {
            specs.add(new TaskSpec("t-" + i, "inc", List.of(i)));
            keys.add("t-" + i);
        }
        state.updateGraph("c", specs, keys, "g");
        // 40 tasks x 500 ms unknown duration = 20 s over 5 s target: 4, with no worker yet
        assertEquals(4, state.adaptiveTarget(5_000, ALLOW_ALL));
        assertEquals(1, state.adaptiveTarget(60_000, ALLOW_ALL), "at least one worker for pending work");
        assertEquals(40, state.adaptiveTarget(100, ALLOW_ALL), "no more than one per task");

        state.addWorker("a", 2, "add-a");
        // 4 threads' worth of work on workers with 2 threads each: 2 workers
        assertEquals(2, state.adaptiveTarget(5_000, ALLOW_ALL));
    }

    @Test
    void adaptiveTargetScalesDownThroughWorkersToCloseAndItsFilters() {
        for (String w : List.of("a", "b", "c")) {
            state.addWorker(w, 1, "add-" + w);
        }
        hold("x", 10);
        assertEquals(1, state.adaptiveTarget(5_000, ALLOW_ALL), "idle: keep one, it holds data");
        assertEquals(2, state.adaptiveTarget(5_000, c -> Set.copyOf(c.stream().limit(1).toList())),
                "a plugin that lets only one go keeps two");
    }
}
