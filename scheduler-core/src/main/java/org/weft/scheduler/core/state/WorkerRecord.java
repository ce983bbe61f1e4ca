package org.weft.scheduler.core.state;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.weft.plugin.api.WorkerInfo;

/** The scheduler's record of one worker. Mutated only by {@link SchedulerState}. */
public final class WorkerRecord implements WorkerInfo {

    final String address;
    final int nthreads;
    final Set<TaskState> processing = new LinkedHashSet<>();
    final Set<TaskState> hasWhat = new LinkedHashSet<>();
    /** Processing tasks that seceded from the worker's threads (see {@link LongRunning}). */
    final Set<TaskState> longRunning = new LinkedHashSet<>();
    /** The worker's abstract resources, e.g. {@code GPU=1.0}; empty if none. */
    Map<String, Double> resources = Map.of();
    long nbytes;

    WorkerRecord(String address, int nthreads) {
        this.address = address;
        this.nthreads = nthreads;
    }

    /** Tasks processing per thread: the load figure used to pick a worker. */
    double load() {
        return (double) processing.size() / nthreads;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public int nthreads() {
        return nthreads;
    }

    @Override
    public Set<String> processing() {
        Set<String> keys = new LinkedHashSet<>();
        for (TaskState t : processing) {
            keys.add(t.key);
        }
        return Collections.unmodifiableSet(keys);
    }

    @Override
    public Set<String> hasWhat() {
        Set<String> keys = new LinkedHashSet<>();
        for (TaskState t : hasWhat) {
            keys.add(t.key);
        }
        return Collections.unmodifiableSet(keys);
    }

    @Override
    public long nbytes() {
        return nbytes;
    }

    /** The worker's abstract resources, read-only; empty if none. */
    public Map<String, Double> resources() {
        return resources;
    }

    /** How many of its processing tasks seceded (long-running). */
    public int longRunningCount() {
        return longRunning.size();
    }

    public int processingCount() {
        return processing.size();
    }

    public int hasWhatCount() {
        return hasWhat.size();
    }

    @Override
    public String toString() {
        return "<Worker " + address + " threads=" + nthreads + " processing=" + processing.size() + ">";
    }
}
