package org.weft.scheduler.core.state;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import org.weft.plugin.api.WorkerInfo;

/** The scheduler's record of one worker. Mutated only by {@link SchedulerState}. */
public final class WorkerRecord implements WorkerInfo {

    final String address;
    final int nthreads;
    final Set<TaskState> processing = new LinkedHashSet<>();
    final Set<TaskState> hasWhat = new LinkedHashSet<>();
    long nbytes;
    /** Being retired: gets no new tasks while its unique results move elsewhere (Dask's closing_gracefully). */
    boolean closingGracefully;

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

    public int processingCount() {
        return processing.size();
    }

    public int hasWhatCount() {
        return hasWhat.size();
    }

    /** Whether the worker is being retired and so takes no new tasks. */
    public boolean closingGracefully() {
        return closingGracefully;
    }

    @Override
    public String toString() {
        return "<Worker " + address + " threads=" + nthreads + " processing=" + processing.size() + ">";
    }
}
