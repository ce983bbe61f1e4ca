package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.weft.protocol.TaskSpec;

/** {@link TaskQueue} keeps the order a TreeSet by {@link SchedulerState#BY_PRIORITY} would. */
class TaskQueueTest {

    private static final TaskGroup GROUP = new TaskGroup("t");

    private static TaskState task(int i, int user, long order) {
        return new TaskState(new TaskSpec("t-" + i, "f", List.of()), user, 1, order, GROUP);
    }

    @Test
    void randomAddsAndRemovesKeepThePriorityOrder() {
        for (int seed = 0; seed < 30; seed++) {
            Random random = new Random(seed);
            List<TaskState> tasks = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                // mostly in order, as graphs arrive; some user priorities and ties broken by key
                tasks.add(task(i, random.nextInt(10) == 0 ? random.nextInt(3) : 0, random.nextInt(4) == 0 ? i / 2 : i));
            }
            TaskQueue queue = new TaskQueue();
            TreeSet<TaskState> model = new TreeSet<>(SchedulerState.BY_PRIORITY);
            for (int step = 0; step < 3_000; step++) {
                TaskState ts = tasks.get(random.nextInt(tasks.size()));
                switch (random.nextInt(5)) {
                    case 0, 1 -> assertEquals(model.add(ts), queue.add(ts));
                    case 2 -> assertEquals(model.remove(ts), queue.remove(ts));
                    case 3 -> {
                        if (!model.isEmpty()) { // take the best, as queued -> processing does
                            TaskState first = model.pollFirst();
                            assertEquals(first, queue.best(1).get(0));
                            assertTrue(queue.remove(first));
                        }
                    }
                    default -> {
                        if (random.nextInt(100) == 0) {
                            queue.clear();
                            model.clear();
                        }
                    }
                }
                assertEquals(model.size(), queue.size());
                assertEquals(model.contains(ts), queue.contains(ts));
                int n = random.nextInt(8);
                assertEquals(new ArrayList<>(model).subList(0, Math.min(n, model.size())), queue.best(n), "seed " + seed);
            }
            assertEquals(new ArrayList<>(model), queue.best(Integer.MAX_VALUE));
            assertEquals(new HashSet<>(model), new HashSet<>(queue));
        }
    }

    @Test
    void aRemovedOrClearedTaskCanBeQueuedAgainAndAMillionDrainInOrder() {
        TaskQueue queue = new TaskQueue();
        List<TaskState> tasks = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) {
            TaskState ts = task(i, 0, i);
            tasks.add(ts);
            queue.add(ts);
        }
        for (int i = 0; i < 1_000_000; i++) {
            TaskState best = queue.best(1).get(0);
            assertEquals(tasks.get(i), best);
            assertTrue(queue.remove(best));
        }
        assertTrue(queue.isEmpty());
        assertFalse(queue.remove(tasks.get(0)));
        assertTrue(queue.add(tasks.get(0)));
        queue.clear();
        assertFalse(queue.contains(tasks.get(0)));
        assertTrue(queue.add(tasks.get(0)));
        assertEquals(1, queue.size());
    }
}
