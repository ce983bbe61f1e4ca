package org.weft.scheduler.core.state;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;

/**
 * The keys of a list of distinct tasks as a read-only set, built on demand: an update-graph event
 * names its new keys, but nothing needs them as a set unless a plugin listens. {@code contains}
 * is a linear scan; copy the set for anything but iteration.
 */
final class KeysView extends AbstractSet<String> {

    private final List<TaskState> tasks;

    KeysView(List<TaskState> tasks) {
        this.tasks = tasks;
    }

    @Override
    public Iterator<String> iterator() {
        Iterator<TaskState> it = tasks.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public String next() {
                return it.next().key;
            }
        };
    }

    @Override
    public int size() {
        return tasks.size();
    }
}
