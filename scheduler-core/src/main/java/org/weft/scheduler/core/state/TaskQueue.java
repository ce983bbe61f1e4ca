package org.weft.scheduler.core.state;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * The tasks in {@code queued}, best priority first ({@link SchedulerState#BY_PRIORITY}): Dask's
 * {@code HeapSet}. A binary heap in an array, each task keeping its own position
 * ({@link TaskState#queueIndex}), so adding and removing any task cost O(log n) and no node
 * object: a million queued tasks cost four bytes each here, where a TreeSet costs a 40-byte entry.
 * Tasks usually arrive in priority order, and then adding is one comparison.
 *
 * <p>Iteration is in no particular order; {@link #best} gives the first tasks in priority order.
 * A task is in at most one queue. Not thread-safe.
 */
final class TaskQueue extends AbstractCollection<TaskState> {

    private static final int INITIAL = 16;

    private TaskState[] heap = new TaskState[INITIAL];
    private int size;

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof TaskState ts && holds(ts);
    }

    private boolean holds(TaskState ts) {
        int i = ts.queueIndex;
        return i >= 0 && i < size && heap[i] == ts;
    }

    @Override
    public boolean add(TaskState ts) {
        if (holds(ts)) {
            return false;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        place(ts, size);
        size++;
        siftUp(size - 1);
        return true;
    }

    @Override
    public boolean remove(Object o) {
        if (!(o instanceof TaskState ts) || !holds(ts)) {
            return false;
        }
        int i = ts.queueIndex;
        ts.queueIndex = -1;
        size--;
        TaskState last = heap[size];
        heap[size] = null;
        if (i < size) {
            place(last, i);
            siftDown(i);
            if (heap[i] == last) {
                siftUp(i);
            }
        }
        if (heap.length > INITIAL && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2); // a million-task queue gives its array back as it drains
        }
        return true;
    }

    @Override
    public void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].queueIndex = -1;
        }
        heap = new TaskState[INITIAL];
        size = 0;
    }

    /** The best task queued, or null if none is. */
    TaskState first() {
        return size == 0 ? null : heap[0];
    }

    /** The best {@code n} tasks (fewer if fewer are queued), best first; the queue is unchanged. */
    List<TaskState> best(int n) {
        int count = Math.min(n, size);
        if (count <= 0) {
            return List.of();
        }
        if (count == 1) {
            return List.of(heap[0]); // the usual case: one slot opened
        }
        List<TaskState> out = new ArrayList<>(count);
        // best-first walk of the heap: a node's children are no better than the node
        PriorityQueue<TaskState> frontier = new PriorityQueue<>(SchedulerState.BY_PRIORITY);
        frontier.add(heap[0]);
        while (out.size() < count) {
            TaskState next = frontier.poll();
            out.add(next);
            int child = 2 * next.queueIndex + 1;
            for (int c = child; c <= child + 1 && c < size; c++) {
                frontier.add(heap[c]);
            }
        }
        return out;
    }

    /** In no particular order; read-only. */
    @Override
    public Iterator<TaskState> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public TaskState next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                return heap[next++];
            }
        };
    }

    private void place(TaskState ts, int i) {
        heap[i] = ts;
        ts.queueIndex = i;
    }

    private void siftUp(int i) {
        TaskState ts = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (SchedulerState.BY_PRIORITY.compare(heap[parent], ts) <= 0) {
                break;
            }
            place(heap[parent], i);
            i = parent;
        }
        place(ts, i);
    }

    private void siftDown(int i) {
        TaskState ts = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && SchedulerState.BY_PRIORITY.compare(heap[right], heap[child]) < 0) {
                child = right;
            }
            if (SchedulerState.BY_PRIORITY.compare(ts, heap[child]) <= 0) {
                break;
            }
            place(heap[child], i);
            i = child;
        }
        place(ts, i);
    }
}
