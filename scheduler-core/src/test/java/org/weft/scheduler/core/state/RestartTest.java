package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction.ReportForgotten;
import org.weft.node.SchedulerInstruction.RestartWorker;
import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

/** restart(): task state cleared through the table, clients told, workers reset, then the hook. */
class RestartTest {

    private final ControlRecorder rec = ControlRecorder.withState("c1", "c2");
    private final SchedulerState state = rec.state;

    @BeforeEach
    void setUp() {
        state.addWorker("w1", 1, "add-w1");
        state.addWorker("w2", 1, "add-w2");
    }

    private static TaskSpec task(String key, String fn, Object... args) {
        return new TaskSpec(key, fn, List.of(args));
    }

    /** Tasks in memory, processing, waiting, erred and released, wanted by two clients. */
    private void busyCluster() {
        state.updateGraph("c1", List.of(task("a", "inc", 1), task("b", "inc", new TaskRef("a")),
                task("c", "inc", new TaskRef("b")), task("bad", "fail")), Set.of("c", "bad"), "g1");
        state.updateGraph("c2", List.of(task("d", "inc", 2), task("e", "inc", 3)), Set.of("d", "e"), "g2");
        state.taskFinished("a", "w1", 8, "Long", List.of(), "fin-a");
        state.taskErred("bad", state.tasks().get("bad").processingOn(), "boom", null, List.of(), "err");
        state.drainInstructions();
        assertEquals(SchedulerTaskState.ERRED, state.tasks().get("bad").state());
        rec.journal.clear();
    }

    @Test
    void everyTaskLeavesThroughTheTableAndTheHookComesAfterTheStateIsCleared() {
        busyCluster();
        state.restart("c1", 5000, "restart-1");

        assertTrue(state.tasks().isEmpty(), state.tasks().toString());
        int hook = rec.journal.indexOf("restart(tasks=0)");
        assertTrue(hook > 0, rec.journal.toString());
        assertEquals(rec.transitions().size(), hook, "every transition before the hook: " + rec.journal);
        for (String key : List.of("a", "b", "c", "bad", "d", "e")) {
            List<String> mine = rec.transitions().stream().filter(t -> t.startsWith(key + ":")).toList();
            assertTrue(mine.get(mine.size() - 1).endsWith(">forgotten"), rec.journal.toString());
        }
        assertTrue(rec.transitions().indexOf("c:waiting>released") < rec.transitions().indexOf("b:processing>released"),
                "dependents first: " + rec.journal);
        assertTrue(rec.transitions().contains("a:memory>forgotten"), "a result goes straight to forgotten, as in Dask: "
                + rec.journal);
        assertEquals(Map.of("action", "restart", "client", "c1"), state.events("all").get(0).message());
    }

    @Test
    void clientsAreToldEveryWantedKeyIsGoneAndWorkersAreReset() {
        busyCluster();
        state.restart(null, 5000, "restart-1");
        List<SchedulerInstruction> out = state.drainInstructions();
        for (String[] wanted : new String[][] {{"c1", "c"}, {"c1", "bad"}, {"c2", "d"}, {"c2", "e"}}) {
            assertTrue(out.contains(new ReportForgotten(wanted[0], wanted[1], "restart")), wanted[1] + ": " + out);
        }
        assertEquals(4, out.stream().filter(i -> i instanceof ReportForgotten).count(), out.toString());
        assertTrue(out.contains(new RestartWorker("w1", "restart-1")), out.toString());
        assertTrue(out.contains(new RestartWorker("w2", "restart-1")), out.toString());
        assertEquals(Set.of("w1", "w2"), state.workers().keySet(), "workers stay");
        assertEquals(Set.of("c1", "c2"), state.clients(), "clients stay");
        for (WorkerRecord w : state.workers().values()) {
            assertEquals(0, w.processingCount());
            assertEquals(0, w.hasWhatCount());
            assertEquals(0, w.nbytes());
        }
        state.validate();
    }

    @Test
    void theSameKeysRunAgainAfterARestart() {
        busyCluster();
        state.restart("c1", 5000, "restart");
        state.drainInstructions();
        state.updateGraph("c1", List.of(task("a", "inc", 1)), Set.of("a"), "again");
        List<SchedulerInstruction> out = state.drainInstructions();
        assertEquals("a", ((ComputeTask) out.get(0)).key());
        assertEquals(List.of("a:released>waiting", "a:waiting>processing"),
                rec.transitions().subList(rec.transitions().size() - 2, rec.transitions().size()));
    }

    @Test
    void anEmptySchedulerRestartsAndStillTellsPluginsAndWorkers() {
        state.restart(null, 1, "r");
        assertEquals(List.of("restart(tasks=0)", "log:all={action=restart, client=null}"), rec.journal);
        assertEquals(2, state.drainInstructions().stream().filter(i -> i instanceof RestartWorker).count());
    }
}
