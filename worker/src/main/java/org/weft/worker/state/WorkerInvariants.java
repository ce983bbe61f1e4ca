package org.weft.worker.state;

import static org.weft.plugin.api.WorkerTaskState.CONSTRAINED;
import static org.weft.plugin.api.WorkerTaskState.EXECUTING;
import static org.weft.plugin.api.WorkerTaskState.FETCH;
import static org.weft.plugin.api.WorkerTaskState.FLIGHT;
import static org.weft.plugin.api.WorkerTaskState.FORGOTTEN;
import static org.weft.plugin.api.WorkerTaskState.LONG_RUNNING;
import static org.weft.plugin.api.WorkerTaskState.MEMORY;
import static org.weft.plugin.api.WorkerTaskState.READY;
import static org.weft.plugin.api.WorkerTaskState.WAITING;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariants {@link WorkerState#validate()} checks: O(tasks + links), so for tests and
 * debugging, not for production stimuli.
 */
final class WorkerInvariants {

    private static final int STORIES_SHOWN = 3;

    private WorkerInvariants() {
    }

    static void check(WorkerTransitions machine, int nthreads) {
        List<String> problems = new ArrayList<>();
        Set<String> suspects = new LinkedHashSet<>();
        int executing = 0;
        int ready = 0;
        int fetch = 0;
        int orphaned = 0;
        int longRunning = 0;
        int constrained = 0;
        int threads = 0;
        Map<String, Double> held = new HashMap<>();
        for (Map.Entry<String, WorkerTask> entry : machine.tasks.entrySet()) {
            WorkerTask task = entry.getValue();
            String key = task.key();
            int before = problems.size();
            if (!entry.getKey().equals(key)) {
                problems.add("task '" + key + "' is filed under '" + entry.getKey() + "'");
            }
            if (task.state == FORGOTTEN) {
                problems.add("'" + key + "' is forgotten but still known");
            }
            if ((task.state == MEMORY) != task.holdsData) {
                problems.add("'" + key + "' is " + task.state + (task.holdsData ? " but holds" : " without") + " data");
            }
            if (task.state == EXECUTING) {
                executing++;
            } else if (task.state == READY) {
                ready++;
            } else if (task.state == FETCH) {
                fetch++;
                if (!machine.fetching.contains(task)) {
                    problems.add("'" + key + "' is in fetch but not in the fetch set");
                }
            }
            if (task.state == FETCH && task.peers.isEmpty()) {
                problems.add("'" + key + "' is in fetch with no peer to fetch from");
            }
            if (task.state == FLIGHT && task.flightPeer == null) {
                problems.add("'" + key + "' is in flight from no peer");
            }
            if (task.orphanedRun) {
                orphaned++;
            }
            if (task.state == LONG_RUNNING) {
                longRunning++;
            } else if (task.state == CONSTRAINED) {
                constrained++;
                if (!machine.constrained.contains(task)) {
                    problems.add("'" + key + "' is constrained but not in the constrained queue");
                }
            }
            if (task.holdsThread) {
                threads++;
            }
            boolean running = task.state == EXECUTING || task.state == LONG_RUNNING || task.orphanedRun;
            if (task.state == EXECUTING && !task.holdsThread || task.holdsThread && !running) {
                problems.add("'" + key + "' is " + task.state + (task.holdsThread ? " and holds" : " without")
                        + " a thread");
            }
            if (task.heldResources != null) {
                if (!running) {
                    problems.add("'" + key + "' holds resources in " + task.state);
                }
                task.heldResources.forEach((name, quantity) -> held.merge(name, quantity, Double::sum));
            }
            if (task.state == READY || task.state == EXECUTING || task.state == CONSTRAINED) {
                for (WorkerTask dependency : task.dependencies()) {
                    if (dependency.state != MEMORY) {
                        problems.add("'" + key + "' is " + task.state + " but dependency '" + dependency.key()
                                + "' is " + dependency.state);
                    }
                }
            }
            if (task.state == WAITING && task.waitingFor != task.dependenciesNotInMemory()) {
                problems.add("'" + key + "' waits for " + task.waitingFor + " dependencies but "
                        + task.dependenciesNotInMemory() + " are not in memory");
            }
            if (!task.computeRequested && !task.orphanedRun && !task.hasDependents()) {
                problems.add("'" + key + "' is kept in " + task.state + " though nothing needs it");
            }
            checkLinks(machine, task, problems);
            if (problems.size() > before) {
                suspects.add(key);
            }
        }
        if (executing != machine.executing) {
            problems.add(executing + " tasks executing but the counter says " + machine.executing);
        }
        if (threads != machine.threadsHeld) {
            problems.add(threads + " runs hold a thread but the counter says " + machine.threadsHeld);
        }
        if (machine.threadsHeld > nthreads) {
            problems.add(machine.threadsHeld + " runs hold a thread > " + nthreads + " threads");
        }
        if (longRunning != machine.longRunning) {
            problems.add(longRunning + " tasks long-running but the counter says " + machine.longRunning);
        }
        if (constrained != machine.constrained.size()) {
            problems.add(constrained + " tasks constrained but the constrained queue holds " + machine.constrained.size());
        }
        for (WorkerTask task : machine.rejoining) {
            if (task.holdsThread || machine.tasks.get(task.key()) != task) {
                problems.add("'" + task.key() + "' waits to rejoin but holds a thread or is not known");
            }
        }
        String resources = machine.resources.checkHeld(held);
        if (resources != null) {
            problems.add(resources);
        }
        if (orphaned != machine.orphanedRuns) {
            problems.add(orphaned + " orphaned runs but the counter says " + machine.orphanedRuns);
        }
        if (ready != machine.ready.size()) {
            problems.add(ready + " tasks ready but the ready queue holds " + machine.ready.size());
        }
        for (WorkerTask task : machine.ready) {
            if (task.state != READY || machine.tasks.get(task.key()) != task) {
                problems.add("ready queue holds '" + task.key() + "' in " + task.state);
                suspects.add(task.key());
            }
        }
        if (fetch != machine.fetching.size()) {
            problems.add(fetch + " tasks in fetch but the fetch set holds " + machine.fetching.size());
        }
        if (!problems.isEmpty()) {
            StringBuilder text = new StringBuilder("Worker ").append(machine.address).append(" is inconsistent:");
            for (String problem : problems) {
                text.append("\n - ").append(problem);
            }
            int shown = 0;
            for (String key : suspects) {
                if (shown++ == STORIES_SHOWN) {
                    break;
                }
                text.append("\nstory of '").append(key).append("':\n").append(machine.story.describe(key));
            }
            throw new IllegalStateException(text.toString());
        }
    }

    private static void checkLinks(WorkerTransitions machine, WorkerTask task, List<String> problems) {
        for (WorkerTask dependency : task.dependencies()) {
            if (machine.tasks.get(dependency.key()) != dependency) {
                problems.add("'" + task.key() + "' depends on '" + dependency.key() + "', which is not known");
            } else if (!dependency.dependents().contains(task)) {
                problems.add("'" + task.key() + "' depends on '" + dependency.key() + "' without a back-link");
            }
        }
        for (WorkerTask dependent : task.dependents()) {
            if (!dependent.dependencies().contains(task)) {
                problems.add("'" + dependent.key() + "' is a dependent of '" + task.key() + "' without a link");
            }
        }
    }
}
