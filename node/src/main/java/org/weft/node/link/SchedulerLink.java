package org.weft.node.link;

import java.util.List;

import org.weft.node.WorkerInstruction;

/**
 * How a worker reaches its scheduler: the scheduler's node in the same JVM, or a connection to a
 * scheduler process. Called on the worker's loop; must not block.
 */
public interface SchedulerLink {

    /**
     * One loop turn's messages for the scheduler (finished and erred tasks, missing data, steal
     * answers, secedes), in order.
     *
     * @param workerIdle whether this worker has nothing left to start (an in-process scheduler may
     *        then do its turn on the calling thread, which brings this worker its next tasks at once)
     */
    void reports(String worker, List<WorkerInstruction> reports, boolean workerIdle);

    /** The worker is alive. */
    void heartbeat(String worker);
}
