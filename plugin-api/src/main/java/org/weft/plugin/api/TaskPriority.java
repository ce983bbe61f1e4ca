package org.weft.plugin.api;

/**
 * The order in which the scheduler runs tasks, as Dask orders them: a higher user priority first,
 * then an older submission generation (graphs submitted within {@code fifoTimeout} of each other
 * share one), then the task's position in its own graph. Lower compares first. Dask writes the same
 * as the tuple {@code (-user, generation, order)}, which {@link #toString()} prints.
 *
 * @param user the priority the client gave the task (higher runs first; default 0)
 * @param generation the submission batch
 * @param order the task's position in the order its graph was submitted
 * @since 1.3
 */
public record TaskPriority(int user, long generation, long order) implements Comparable<TaskPriority> {

    /** User priority 0, first generation, first position. */
    public static final TaskPriority DEFAULT = new TaskPriority(0, 0, 0);

    @Override
    public int compareTo(TaskPriority other) {
        int byUser = Integer.compare(other.user, user);
        if (byUser != 0) {
            return byUser;
        }
        int byGeneration = Long.compare(generation, other.generation);
        return byGeneration != 0 ? byGeneration : Long.compare(order, other.order);
    }

    @Override
    public String toString() {
        return "(" + (-user) + ", " + generation + ", " + order + ")";
    }
}
