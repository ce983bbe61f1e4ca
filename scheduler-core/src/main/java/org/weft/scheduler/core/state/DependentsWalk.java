package org.weft.scheduler.core.state;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Depth-first walks over dependents, iterative so that long chains do not exhaust the stack. */
final class DependentsWalk {

    private DependentsWalk() {
    }

    /**
     * Walks from {@code root} (unless already {@code visited}): {@code enter} is called once per
     * task on the way in and returns the tasks to go on to; each task is appended to {@code out}
     * on the way out, so it comes after every task reached from it.
     */
    static void postOrder(TaskState root, Set<TaskState> visited, Function<TaskState, Iterator<TaskState>> enter,
            List<TaskState> out) {
        if (!visited.add(root)) {
            return;
        }
        Deque<Iterator<TaskState>> stack = new ArrayDeque<>();
        Deque<TaskState> path = new ArrayDeque<>();
        stack.push(enter.apply(root));
        path.push(root);
        while (!stack.isEmpty()) {
            Iterator<TaskState> next = stack.peek();
            if (next.hasNext()) {
                TaskState dts = next.next();
                if (visited.add(dts)) {
                    stack.push(enter.apply(dts));
                    path.push(dts);
                }
            } else {
                stack.pop();
                out.add(path.pop());
            }
        }
    }
}
