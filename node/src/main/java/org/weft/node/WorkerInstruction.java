package org.weft.node;

import java.util.List;
import java.util.Set;

import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.WorkerTaskState;

/**
 * What the worker's state machine ({@code WorkerState}) asks its loop to do. {@code Execute},
 * {@code GatherDep} and {@code Rejoin} are local work; the {@code *Msg} records go to the scheduler.
 */
public sealed interface WorkerInstruction {

    /** Run a task function on an executor thread; {@code args} already hold dependency results. */
    record Execute(String key, String function, List<Object> args, String stimulusId) implements WorkerInstruction {
    }

    /** Fetch these keys' results from a peer worker. */
    record GatherDep(String peer, Set<String> keys, String stimulusId) implements WorkerInstruction {
    }

    /** Let the seceded run of {@code key}, blocked in its rejoin call, go on: it holds a thread again. */
    record Rejoin(String key, String stimulusId) implements WorkerInstruction {
    }

    /**
     * Tell the scheduler a task seceded from the executor threads (Dask's long-running): it no
     * longer occupies a thread there, so it should not count in that worker's occupancy.
     * {@code runId} is the compute message's (0: none), as in {@link TaskFinishedMsg}.
     */
    record LongRunningMsg(String key, String stimulusId, long runId) implements WorkerInstruction {

        public LongRunningMsg(String key, String stimulusId) {
            this(key, stimulusId, 0);
        }
    }

    /** Tell the scheduler a task finished here; {@code runId} is the compute message's (0: none). */
    record TaskFinishedMsg(String key, long nbytes, String typeName, List<Startstop> startstops, String stimulusId,
            long runId) implements WorkerInstruction {

        public TaskFinishedMsg(String key, long nbytes, String typeName, List<Startstop> startstops,
                String stimulusId) {
            this(key, nbytes, typeName, startstops, stimulusId, 0);
        }
    }

    /** Tell the scheduler a task failed here; {@code runId} is the compute message's (0: none). */
    record TaskErredMsg(String key, String exceptionText, String traceback, List<Startstop> startstops,
            String stimulusId, long runId) implements WorkerInstruction {

        public TaskErredMsg(String key, String exceptionText, String traceback, List<Startstop> startstops,
                String stimulusId) {
            this(key, exceptionText, traceback, startstops, stimulusId, 0);
        }
    }

    /** Tell the scheduler a dependency could not be found on the worker it was said to be on. */
    record MissingDataMsg(String key, String peer, String stimulusId) implements WorkerInstruction {
    }

    /**
     * The answer to a steal request: the task's state here when the request arrived. A task that
     * was still waiting, ready or constrained has been released here and may run elsewhere; any
     * other state means the steal is rejected.
     */
    record StealResponseMsg(String key, WorkerTaskState state, String stimulusId) implements WorkerInstruction {
    }
}
