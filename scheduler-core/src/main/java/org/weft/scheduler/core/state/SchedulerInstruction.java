package org.weft.scheduler.core.state;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link SchedulerState} asks its loop to do after a stimulus. The loop performs the I/O.
 */
public sealed interface SchedulerInstruction {

    /** Send a task to a worker. {@code whoHas} names, per dependency key, the workers holding it. */
    record ComputeTask(String worker, String key, String function, List<Object> args,
            Map<String, Set<String>> whoHas, long priority, String stimulusId) implements SchedulerInstruction {
    }

    /** Tell a worker to drop these keys (results and bookkeeping). */
    record FreeKeys(String worker, List<String> keys, String stimulusId) implements SchedulerInstruction {
    }

    /** Tell a client a key it wants is in memory. */
    record ReportMemory(String client, String key) implements SchedulerInstruction {
    }

    /** Tell a client a key it wants erred. */
    record ReportErred(String client, String key, String exceptionText, String traceback, String blamedKey)
            implements SchedulerInstruction {
    }

    /** Tell a client a key it wanted was forgotten. */
    record ReportForgotten(String client, String key, String reason) implements SchedulerInstruction {
    }
}
