package org.weft.scheduler.core.state;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.weft.plugin.api.WorkerInfo;

/** The scheduler's record of one worker. Mutated only by {@link SchedulerState}. */
public final class WorkerRecord implements WorkerInfo {

    final String address;
    final String host;
    final int nthreads;
    /** Abstract resources the worker offers (e.g. GPU=1); tasks asking for more never run here. */
    final Map<String, Double> resources;
    final Set<TaskState> processing = new HashSet<>();
    final Set<TaskState> hasWhat = new HashSet<>();
    /** {@code Set.of(this)}: the who-has set of every task only this worker holds (see TaskState#addHolder). */
    final Set<WorkerRecord> alone = Set.of(this);
    /** Tasks processing here that seceded from the thread pool: they take no thread slot. */
    int longRunning;
    long nbytes;
    /** Expected seconds of work processing here: the sum of each task's expected duration and input transfer. */
    double occupancy;

    WorkerRecord(String address, int nthreads, Map<String, Double> resources) {
        this.address = address;
        this.host = hostOf(address);
        this.measuresRoundTrip = !address.startsWith("inproc://");
        this.nthreads = nthreads;
        this.resources = resources == null || resources.isEmpty() ? Map.of() : Map.copyOf(resources);
    }

    /** {@code tcp://10.0.0.5:8786} → {@code 10.0.0.5}; in-process workers live on {@code localhost}. */
    static String hostOf(String address) {
        if (address.startsWith("inproc://")) {
            return "localhost";
        }
        int scheme = address.indexOf("://");
        String rest = scheme < 0 ? address : address.substring(scheme + 3);
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            rest = rest.substring(0, slash);
        }
        int colon = rest.lastIndexOf(':');
        if (colon > 0 && rest.indexOf(']') < colon && rest.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            rest = rest.substring(0, colon);
        }
        return rest;
    }

    /** Retiring: finishes what it has but gets no new tasks. */
    boolean closingGracefully;

    /** Task functions this worker cannot run (a depot bundle providing them FAILED there): it gets no task calling them. */
    Set<String> missingFunctions = Set.of();

    /** Whether this worker can run tasks calling {@code function}. */
    boolean runs(String function) {
        return missingFunctions.isEmpty() || !missingFunctions.contains(function);
    }

    /** Whether new tasks may be sent here. */
    boolean acceptsWork() {
        return !closingGracefully;
    }

    /** Tasks processing per thread: the load figure used for root-ish tasks. */
    double load() {
        return (double) processing.size() / nthreads;
    }

    /**
     * Whether the scheduler measures its round trip to this worker: not for an in-process worker
     * ({@code inproc://}), whose executor thread runs the scheduler's turn itself when it reports
     * with nothing left to start, so Dask's slots keep it busy without a hand-off, and more slots
     * would only add hand-offs to the scheduler's thread.
     */
    final boolean measuresRoundTrip;
    /**
     * The scheduler's round trip to this worker in seconds, a moving average (negative while none
     * was measured): from sending a task until its report is taken, less its compute time and its
     * expected wait behind the tasks ahead of it there. Measured on one task at a time ({@link #probe}).
     */
    double roundTrip = -1;
    /** The task whose round trip is being measured; null: none (the next task sent here is). */
    TaskState probe;
    /** When the probe was sent, in the state's nanoseconds. */
    long probeSentNanos;
    /** Tasks taking a thread here when the probe was sent, the probe not counted. */
    int probeAhead;

    /** Whether the worker can ever run a task asking for these resources. */
    boolean offers(Map<String, Double> wanted) {
        for (Map.Entry<String, Double> r : wanted.entrySet()) {
            Double have = resources.get(r.getKey());
            if (have == null || have < r.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int nthreads() {
        return nthreads;
    }

    @Override
    public Map<String, Double> resources() {
        return resources;
    }

    @Override
    public double occupancy() {
        return occupancy;
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

    /** How many of its processing tasks seceded (long-running). */
    public int longRunningCount() {
        return longRunning;
    }

    @Override
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
