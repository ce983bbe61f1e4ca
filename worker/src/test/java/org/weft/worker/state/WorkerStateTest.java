package org.weft.worker.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.WorkerInstruction.Execute;
import org.weft.node.WorkerInstruction.GatherDep;
import org.weft.node.WorkerInstruction.MissingDataMsg;
import org.weft.node.WorkerInstruction.TaskErredMsg;
import org.weft.node.WorkerInstruction.TaskFinishedMsg;
import org.weft.node.WorkerInstruction;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.TransitionRecord;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.protocol.TaskRef;

/** Feeds stimuli to {@link WorkerState} and checks the instructions and transitions, validation on. */
class WorkerStateTest {

    private static final String SELF = "w1";

    /** Records every elementary transition and release; checks a forgotten task is still readable. */
    private static final class RecordingEvents implements WorkerEvents {
        final List<String> transitions = new ArrayList<>();
        final List<String> releases = new ArrayList<>();
        WorkerState state;

        @Override
        public void transition(WorkerTask task, WorkerTaskState start, WorkerTaskState finish, String stimulusId) {
            assertEquals(finish, task.state(), "transition reported after it was applied");
            if (finish == WorkerTaskState.FORGOTTEN) {
                assertTrue(state.tasks().containsKey(task.key()), "forgotten task still readable during the call");
            }
            transitions.add(task.key() + ":" + start + "->" + finish);
        }

        @Override
        public void releaseKey(WorkerTask task, WorkerTaskState before, String cause, String reason, boolean report) {
            assertFalse(report);
            releases.add(task.key() + ":" + before + ":" + cause);
        }

        List<String> take() {
            List<String> taken = List.copyOf(transitions);
            transitions.clear();
            return taken;
        }
    }

    private final RecordingEvents events = new RecordingEvents();

    private WorkerState worker(int nthreads) {
        WorkerState state = new WorkerState(SELF, nthreads, events, true, 1000);
        events.state = state;
        return state;
    }

    private static ComputeTask compute(String key, List<Object> args, Map<String, Set<String>> whoHas, long priority,
            String stimulusId) {
        return new ComputeTask(SELF, key, "fn-" + key, args, whoHas, new TaskPriority(0, 0, priority), Map.of(), stimulusId);
    }

    private static ComputeTask compute(String key, String stimulusId) {
        return compute(key, List.of(), Map.of(), 0, stimulusId);
    }

    private static TaskFinishedMsg finished(String key, Object value, List<Startstop> startstops, String stimulusId) {
        return new TaskFinishedMsg(key, Sizes.estimate(value), value.getClass().getSimpleName(), startstops,
                stimulusId);
    }

    private static Startstop computed(long start, long stop) {
        return new Startstop("compute", start, stop, null);
    }

    @Test
    void simpleTaskRunsAndReportsItsResult() {
        WorkerState state = worker(2);
        state.computeTask(compute("a", List.of(1), Map.of(), 0, "s1"));
        assertEquals(List.of(new Execute("a", "fn-a", List.of(1), "s1")), state.drainInstructions());
        assertEquals(List.of("a:released->waiting", "a:waiting->ready", "a:ready->executing"), events.take());
        assertEquals(1, state.executingCount());

        state.executeSuccess("a", 2, 10, 20, "s2");
        assertEquals(List.of(finished("a", 2, List.of(computed(10, 20)), "s2")), state.drainInstructions());
        assertEquals(List.of("a:executing->memory"), events.take());
        assertEquals(2, state.data("a"));
        assertTrue(state.hasData("a"));
        assertEquals(0, state.executingCount());
        assertEquals(List.of(), state.drainInstructions(), "the outbox was emptied");

        List<TransitionRecord> story = state.story("a");
        assertEquals(4, story.size());
        assertEquals(new TransitionRecord("a", "executing", "memory", "s2", SELF, story.get(3).timestampMillis()),
                story.get(3));
    }

    @Test
    void computeTaskForAResultAlreadyHereReportsItAgain() {
        WorkerState state = worker(1);
        state.computeTask(compute("a", "s1"));
        state.executeSuccess("a", "x", 1, 2, "s2");
        state.drainInstructions();
        events.take();

        state.computeTask(compute("a", "s3"));
        assertEquals(List.of(finished("a", "x", List.of(computed(1, 2)), "s3")), state.drainInstructions());
        assertEquals(List.of(), events.take());
    }

    @Test
    void localDependencyInMemoryIsUsedWithoutFetching() {
        WorkerState state = worker(2);
        state.computeTask(compute("a", "s1"));
        state.executeSuccess("a", 1, 1, 2, "s2");
        state.drainInstructions();
        events.take();

        state.computeTask(compute("b", List.of(new TaskRef("a"), 10), Map.of("a", Set.of(SELF)), 0, "s3"));
        assertEquals(List.of(new Execute("b", "fn-b", List.of(1, 10), "s3")), state.drainInstructions());
        assertEquals(List.of("b:released->waiting", "b:waiting->ready", "b:ready->executing"), events.take());

        state.executeSuccess("b", 11, 3, 4, "s4");
        assertEquals(List.of(finished("b", 11, List.of(computed(3, 4)), "s4")), state.drainInstructions());
        assertEquals(List.of("b:executing->memory"), events.take());
        assertTrue(state.hasData("a"), "a result the scheduler placed here stays");
    }

    @Test
    void dependencyComputedHereLaterReleasesItsDependent() {
        WorkerState state = worker(2);
        state.computeTask(compute("b", List.of(new TaskRef("a")), Map.of(), 0, "s1"));
        assertEquals(List.of(), state.drainInstructions());
        assertEquals(List.of("b:released->waiting"), events.take());
        assertEquals(WorkerTaskState.RELEASED, state.tasks().get("a").state());

        state.computeTask(compute("a", "s2"));
        assertEquals(List.of(new Execute("a", "fn-a", List.of(), "s2")), state.drainInstructions());
        assertEquals(List.of("a:released->waiting", "a:waiting->ready", "a:ready->executing"), events.take());

        state.executeSuccess("a", 5, 1, 2, "s3");
        assertEquals(List.of(finished("a", 5, List.of(computed(1, 2)), "s3"),
                new Execute("b", "fn-b", List.of(5), "s3")), state.drainInstructions());
        assertEquals(List.of("a:executing->memory", "b:waiting->ready", "b:ready->executing"), events.take());
    }

    @Test
    void aFinishedTaskKeepsItsComputationRecordAndReportsIt() {
        WorkerState state = worker(1);
        state.computeTask(compute("a", List.of(), Map.of(), 0, "s1"));
        state.executeSuccess("a", 5, 1, 2, "s2");
        assertEquals(List.of(computed(1, 2)), state.tasks().get("a").startstops());

        state.computeTask(compute("c", List.of(new TaskRef("x")), Map.of("x", Set.of("w2")), 0, "s3"));
        state.gatherDepSuccess("w2", Map.of("x", 5), 100, 110, "g1");
        state.drainInstructions();
        state.executeSuccess("c", 6, 120, 130, "s4");
        assertEquals(List.of(finished("c", 6, List.of(computed(120, 130)), "s4")), state.drainInstructions());
        assertEquals(List.of(computed(120, 130)), state.tasks().get("c").startstops());
    }

    @Test
    void remoteDependenciesAreFetchedSubstitutedNestedAndForgottenAfterUse() {
        WorkerState state = worker(1);
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k", new TaskRef("x"));
        nested.put("plain", "p");
        List<Object> args = List.of(new TaskRef("x"), List.of(new TaskRef("y"), 3), nested);
        state.computeTask(compute("c", args, Map.of("x", Set.of("w3", "w2"), "y", Set.of("w3")), 0, "s1"));
        assertEquals(List.of(new GatherDep("w2", Set.of("x"), "s1"), new GatherDep("w3", Set.of("y"), "s1")),
                state.drainInstructions());
        assertEquals(List.of("c:released->waiting", "x:released->fetch", "y:released->fetch", "x:fetch->flight",
                "y:fetch->flight"), events.take());

        state.gatherDepSuccess("w2", Map.of("x", 5), 100, 110, "g1");
        assertEquals(List.of(), state.drainInstructions());
        assertEquals(List.of("x:flight->memory"), events.take());
        assertEquals(List.of(new Startstop("transfer", 100, 110, "w2")), state.tasks().get("x").startstops());

        state.gatherDepSuccess("w3", Map.of("y", 7), 105, 120, "g2");
        assertEquals(List.of(new Execute("c", "fn-c", List.of(5, List.of(7, 3), Map.of("k", 5, "plain", "p")), "g2")),
                state.drainInstructions());
        assertEquals(List.of("y:flight->memory", "c:waiting->ready", "c:ready->executing"), events.take());

        state.executeSuccess("c", 15, 200, 210, "s2");
        assertEquals(List.of(finished("c", 15, List.of(computed(200, 210)), "s2")), state.drainInstructions());
        assertEquals(List.of("c:executing->memory", "x:memory->released", "x:released->forgotten",
                "y:memory->released", "y:released->forgotten"), events.take());
        assertEquals(Set.of("c"), state.tasks().keySet(), "fetched copies are forgotten once used");
        assertEquals(List.of("x:memory:s2", "y:memory:s2"), events.releases);
    }

    @Test
    void aFetchedValueWeighsItsSizeOnTheWireWhenItIsKnownAndIsEstimatedOtherwise() {
        WorkerState state = worker(2);
        state.computeTask(compute("c", List.of(new TaskRef("x"), new TaskRef("y")),
                Map.of("x", Set.of("w2"), "y", Set.of("w2")), 0, "s1"));
        state.drainInstructions();
        state.gatherDepSuccess("w2", Map.of("x", 5L, "y", 6L), Map.of("x", 9L), 1, 2, "g1");
        assertEquals(9L, state.tasks().get("x").nbytes(), "the size the peer sent it with");
        assertEquals(Sizes.estimate(6L), state.tasks().get("y").nbytes(), "no size sent: estimated");
    }

    @Test
    void keysHeldByOnePeerGoInOneTransferAndABusyPeerIsAskedAgainLater() {
        WorkerState state = worker(2);
        state.computeTask(compute("c", List.of(new TaskRef("x"), new TaskRef("y")),
                Map.of("x", Set.of("w2"), "y", Set.of("w2", "w3")), 0, "s1"));
        assertEquals(List.of(new GatherDep("w2", Set.of("x", "y"), "s1")), state.drainInstructions());
        events.take();

        state.computeTask(compute("d", List.of(new TaskRef("z")), Map.of("z", Set.of("w2")), 0, "s2"));
        assertEquals(List.of(), state.drainInstructions(), "w2 is busy with the first transfer");
        assertEquals(List.of("d:released->waiting", "z:released->fetch"), events.take());

        state.gatherDepSuccess("w2", Map.of("x", 1, "y", 2), 1, 2, "g1");
        assertEquals(List.of(new GatherDep("w2", Set.of("z"), "g1"), new Execute("c", "fn-c", List.of(1, 2), "g1")),
                state.drainInstructions());
        assertEquals(List.of("x:flight->memory", "y:flight->memory", "c:waiting->ready", "z:fetch->flight",
                "c:ready->executing"), events.take());
    }

    @Test
    void dependencyAbsentFromTheTransferIsMissingAndCanBeFetchedElsewhereLater() {
        WorkerState state = worker(1);
        state.computeTask(compute("c", List.of(new TaskRef("x")), Map.of("x", Set.of("w2")), 0, "s1"));
        assertEquals(List.of(new GatherDep("w2", Set.of("x"), "s1")), state.drainInstructions());
        events.take();

        state.gatherDepSuccess("w2", Map.of(), 1, 2, "g1");
        assertEquals(List.of(new MissingDataMsg("x", "w2", "g1")), state.drainInstructions());
        assertEquals(List.of("x:flight->missing"), events.take());
        assertEquals(WorkerTaskState.WAITING, state.tasks().get("c").state());

        state.computeTask(compute("c", List.of(new TaskRef("x")), Map.of("x", Set.of("w3")), 0, "s2"));
        assertEquals(List.of(new GatherDep("w3", Set.of("x"), "s2")), state.drainInstructions());
        assertEquals(List.of("x:missing->fetch", "x:fetch->flight"), events.take());
    }

    @Test
    void failedTransferMakesEveryKeyAskedMissing() {
        WorkerState state = worker(1);
        state.computeTask(compute("c", List.of(new TaskRef("x"), new TaskRef("y")),
                Map.of("x", Set.of("w2"), "y", Set.of("w2")), 0, "s1"));
        state.drainInstructions();
        events.take();

        state.gatherDepFailure("w2", List.of("x", "y"), "connection refused", "g1");
        assertEquals(List.of(new MissingDataMsg("x", "w2", "g1"), new MissingDataMsg("y", "w2", "g1")),
                state.drainInstructions());
        assertEquals(List.of("x:flight->missing", "y:flight->missing"), events.take());
    }

    @Test
    void failingTaskReportsTheErrorAndARetryGoesThroughReleased() {
        WorkerState state = worker(1);
        state.computeTask(compute("a", "s1"));
        state.computeTask(compute("b", "s2"));
        state.drainInstructions();
        events.take();

        state.executeFailure("a", "boom", "at fn-a", 5, 6, "s3");
        assertEquals(List.of(new TaskErredMsg("a", "boom", "at fn-a", List.of(computed(5, 6)), "s3"),
                new Execute("b", "fn-b", List.of(), "s3")), state.drainInstructions());
        assertEquals(List.of("a:executing->error", "b:ready->executing"), events.take());
        assertEquals("boom", state.tasks().get("a").exceptionText());
        assertFalse(state.hasData("a"));

        state.executeSuccess("b", 1, 6, 7, "s4");
        state.drainInstructions();
        events.take();
        state.computeTask(compute("a", "s5"));
        assertEquals(List.of(new Execute("a", "fn-a", List.of(), "s5")), state.drainInstructions());
        assertEquals(List.of("a:error->released", "a:released->waiting", "a:waiting->ready", "a:ready->executing"),
                events.take());
        assertEquals(List.of("a:error:s5"), events.releases);
    }

    @Test
    void oneThreadRunsReadyTasksByPriorityThenArrival() {
        WorkerState state = worker(1);
        state.computeTask(compute("a", List.of(), Map.of(), 5, "s1"));
        state.computeTask(compute("b", List.of(), Map.of(), 3, "s2"));
        state.computeTask(compute("c", List.of(), Map.of(), 1, "s3"));
        state.computeTask(compute("d", List.of(), Map.of(), 3, "s4"));
        assertEquals(List.of(new Execute("a", "fn-a", List.of(), "s1")), state.drainInstructions());
        assertEquals(3, state.readyCount());

        List<String> order = new ArrayList<>();
        for (String key : List.of("a", "c", "b", "d")) {
            events.take();
            state.executeSuccess(key, 0, 0, 1, "done-" + key);
            for (WorkerInstruction instruction : state.drainInstructions()) {
                if (instruction instanceof Execute execute) {
                    order.add(execute.key());
                }
            }
        }
        assertEquals(List.of("c", "b", "d"), order);
        assertEquals(0, state.readyCount());
    }

    @Test
    void freedWhileExecutingKeepsItsThreadAndTheLateResultIsIgnored() {
        WorkerState state = worker(1);
        state.computeTask(compute("a", "s1"));
        state.computeTask(compute("b", "s2"));
        state.drainInstructions();
        events.take();

        state.freeKeys(List.of("a", "unknown"), "f1");
        assertEquals(List.of(), state.drainInstructions());
        assertEquals(List.of("a:executing->released"), events.take());
        assertEquals(List.of("a:executing:f1"), events.releases);
        assertEquals(0, state.executingCount());
        assertEquals(1, state.orphanedRunCount());
        assertEquals(1, state.readyCount(), "the orphaned run still holds the only thread");

        state.executeSuccess("a", 42, 1, 2, "s3");
        assertEquals(List.of(new Execute("b", "fn-b", List.of(), "s3")), state.drainInstructions());
        assertEquals(List.of("a:released->forgotten", "b:ready->executing"), events.take());
        assertFalse(state.tasks().containsKey("a"));
        assertNull(state.data("a"));
        assertEquals(0, state.orphanedRunCount());
    }

    @Test
    void freeingAResultDropsAndForgetsIt() {
        WorkerState state = worker(1);
        state.computeTask(compute("a", "s1"));
        state.executeSuccess("a", "v", 1, 2, "s2");
        events.take();

        state.freeKeys(List.of("a"), "f1");
        assertEquals(List.of("a:memory->released", "a:released->forgotten"), events.take());
        assertFalse(state.hasData("a"));
        assertTrue(state.tasks().isEmpty());
    }

    @Test
    void freeingADependentDropsItsTransferAndTheLateDataIsIgnored() {
        WorkerState state = worker(1);
        state.computeTask(compute("c", List.of(new TaskRef("x")), Map.of("x", Set.of("w2")), 0, "s1"));
        state.drainInstructions();
        events.take();

        state.freeKeys(List.of("c"), "f1");
        assertEquals(List.of("c:waiting->released", "c:released->forgotten", "x:flight->released",
                "x:released->forgotten"), events.take());
        assertTrue(state.tasks().isEmpty());

        state.gatherDepSuccess("w2", Map.of("x", 1), 1, 2, "g1");
        assertEquals(List.of(), state.drainInstructions());
        assertEquals(List.of(), events.take());
    }

    @Test
    void freedResultStaysWhileALocalTaskStillNeedsIt() {
        WorkerState state = worker(1);
        state.computeTask(compute("a", "s1"));
        state.computeTask(compute("b", "s2"));
        state.executeSuccess("a", 1, 1, 2, "s3");
        state.computeTask(compute("c", List.of(new TaskRef("a")), Map.of(), 0, "s4"));
        state.drainInstructions();
        events.take();

        state.freeKeys(List.of("a"), "f1");
        assertEquals(List.of(), events.take(), "c is ready and needs a");
        assertTrue(state.hasData("a"));

        state.executeSuccess("b", 2, 2, 3, "s5");
        state.executeSuccess("c", 3, 3, 4, "s6");
        assertEquals(List.of("b:executing->memory", "c:ready->executing", "c:executing->memory",
                "a:memory->released", "a:released->forgotten"), events.take());
    }

    @Test
    void validateNamesTheBrokenInvariantAndTheStory() {
        WorkerState state = worker(1);
        state.computeTask(compute("a", "s1"));
        state.executeSuccess("a", 1, 1, 2, "s2");
        state.tasks().get("a").holdsData = false;

        IllegalStateException error = assertThrows(IllegalStateException.class, state::validate);
        assertTrue(error.getMessage().contains("'a' is memory without data"), error.getMessage());
        assertTrue(error.getMessage().contains("a: executing -> memory"), error.getMessage());
    }

    @Test
    void keyRequestedWhileInFlightIsReportedWhenItLands() {
        WorkerState state = worker(1);
        state.computeTask(compute("c", List.of(new TaskRef("x")), Map.of("x", Set.of("w2")), 0, "s1"));
        state.computeTask(compute("x", "s2"));
        state.drainInstructions();
        events.take();

        state.gatherDepSuccess("w2", Map.of("x", 3), 1, 2, "g1");
        assertEquals(List.of(new TaskFinishedMsg("x", Sizes.estimate(3), "Integer",
                List.of(new Startstop("transfer", 1, 2, "w2")), "g1"), new Execute("c", "fn-c", List.of(3), "g1")),
                state.drainInstructions());
        state.executeSuccess("c", 4, 2, 3, "s3");
        assertTrue(state.hasData("x"), "the scheduler now knows x is here");
    }

    @Test
    void illegalTransitionErrorCarriesTheStory() {
        WorkerState state = worker(1);
        state.computeTask(compute("a", "s1"));
        state.executeSuccess("a", 1, 1, 2, "s2");

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> state.transition("a", WorkerTaskState.EXECUTING, "bad"));
        assertTrue(error.getMessage().contains("memory -> executing"), error.getMessage());
        assertTrue(error.getMessage().contains("a: released -> waiting [stimulus s1"), error.getMessage());
        assertTrue(error.getMessage().contains("a: executing -> memory [stimulus s2"), error.getMessage());
    }

    @Test
    void storyIsBounded() {
        WorkerState state = new WorkerState(SELF, 1, events, true, 2);
        events.state = state;
        state.computeTask(compute("a", "s1"));
        assertEquals(List.of("waiting->ready", "ready->executing"),
                state.story("a").stream().map(r -> r.start() + "->" + r.finish()).toList());
    }
}
