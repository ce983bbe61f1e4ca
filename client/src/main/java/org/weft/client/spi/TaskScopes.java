package org.weft.client.spi;

/** Holds the {@link TaskScope} of the task each thread runs. */
final class TaskScopes {

    static final ThreadLocal<TaskScope> CURRENT = new ThreadLocal<>();

    private TaskScopes() {
    }
}
