package org.weft.node.link;

import java.util.List;

import org.weft.node.SchedulerInstruction;
import org.weft.node.SchedulerInstruction.ComputeTask;

/**
 * How the scheduler reaches one worker: in-process today, a network stream later. Called on the
 * scheduler loop thread with everything batched for that worker in one loop turn; must not block.
 */
public interface WorkerLink {

    String address();

    void computeTasks(List<ComputeTask> tasks);

    void freeKeys(List<String> keys, String stimulusId);

    /**
     * Every other instruction for this worker in this loop turn (steal requests, replicas to
     * acquire, restart, close ...), in the order the state machine produced them.
     */
    void control(List<SchedulerInstruction> instructions);
}
