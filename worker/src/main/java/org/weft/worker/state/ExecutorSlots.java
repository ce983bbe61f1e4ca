package org.weft.worker.state;

import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

import org.weft.node.SchedulerInstruction;
import org.weft.node.WorkerInstruction;

/**
 * Who gets a worker's executor threads, while any is free: first seceded runs that asked to
 * rejoin (their threads are already busy; they wait for a slot), then ready and constrained tasks,
 * best priority first. A constrained task starts only when its resources are free; as in Dask, the
 * best constrained task that could run here but whose resources are taken blocks the constrained
 * tasks behind it (so a big task is not starved by small ones). A constrained task this worker can
 * never satisfy is skipped: the scheduler should not have sent it here.
 */
final class ExecutorSlots {

    private final WorkerTransitions machine;
    private final int nthreads;

    ExecutorSlots(WorkerTransitions machine, int nthreads) {
        this.machine = machine;
        this.nthreads = nthreads;
    }

    void fill(String stimulusId, Consumer<WorkerInstruction> out) {
        while (!machine.rejoining.isEmpty() && machine.threadsHeld < nthreads) {
            WorkerTask task = machine.rejoining.peek();
            machine.rejoinThread(task);
            out.accept(new WorkerInstruction.Rejoin(task.key(), stimulusId));
        }
        while (machine.threadsHeld < nthreads) {
            WorkerTask ready = machine.ready.peek();
            WorkerTask constrained = startableConstrained();
            if (constrained != null && (ready == null || WorkerTask.READY_ORDER.compare(constrained, ready) < 0)) {
                start(constrained, stimulusId, out);
            } else if (ready != null) {
                machine.ready.poll();
                start(ready, stimulusId, out);
            } else {
                return;
            }
        }
    }

    /** The best constrained task whose resources are free now, or null (see the class comment). */
    private WorkerTask startableConstrained() {
        for (Iterator<WorkerTask> it = machine.constrained.iterator(); it.hasNext();) {
            WorkerTask task = it.next();
            if (machine.resources.fits(task.resources)) {
                return task;
            }
            if (machine.resources.canEverFit(task.resources)) {
                return null;
            }
        }
        return null;
    }

    private void start(WorkerTask task, String stimulusId, Consumer<WorkerInstruction> out) {
        SchedulerInstruction.ComputeTask msg = task.compute;
        List<Object> args = WorkerArgs.substitute(msg.args(), machine.tasks);
        if (task.state == org.weft.plugin.api.WorkerTaskState.CONSTRAINED) {
            machine.constrainedToExecuting(task, stimulusId);
        } else {
            machine.readyToExecuting(task, stimulusId);
        }
        out.accept(new WorkerInstruction.Execute(task.key(), msg.function(), args, stimulusId));
    }
}
