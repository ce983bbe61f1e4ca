package org.weft.plugin.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A function tasks can run, registered as an OSGi service named with {@link TaskFunctionName}
 * (or added to a cluster in code). Graphs name functions, never ship code.
 *
 * <p>Called on a worker's executor thread, possibly on several threads at once: implementations
 * must be thread-safe. Arguments arrive with references to other tasks already replaced by their
 * results. The result must be a value Weft can move between workers: {@code null}, a string,
 * number or boolean, a {@code byte[]}, or a list or map of those.
 *
 * <p>Run on the scheduler ({@code Client.runOnScheduler}), a function runs on the scheduler's loop
 * and must be quick; one that has to wait (e.g. for {@link WorkerProcesses}) returns a
 * {@link java.util.concurrent.CompletionStage} instead, and the caller gets what it completes
 * with. Run in each worker process ({@link WorkerProcesses#runOnEach}), it runs on a thread of its
 * own there, and may return a stage too.
 *
 * @since 1.0
 */
@ConsumerType
@FunctionalInterface
public interface TaskFunction {

    /**
     * Runs the task.
     *
     * @param args the task's arguments, dependencies resolved
     * @param context the running task's key and worker
     * @return the result
     * @throws Exception the task fails; the message and stack trace go to the scheduler, and to
     *         every dependent task and client that wanted it
     */
    Object apply(List<Object> args, TaskContext context) throws Exception;
}
