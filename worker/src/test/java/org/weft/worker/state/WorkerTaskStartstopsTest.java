package org.weft.worker.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.Startstop;

/** A worker task's start/stop records: one computation inline, anything more in a list, always in the order added. */
class WorkerTaskStartstopsTest {

    private static final Startstop COMPUTE = new Startstop("compute", 10, 20, null);
    private static final Startstop TRANSFER = new Startstop("transfer", 30, 40, "w2");

    @Test
    void noneAtFirst() {
        assertEquals(List.of(), new WorkerTask("a").startstops());
    }

    @Test
    void oneComputation() {
        WorkerTask task = new WorkerTask("a");
        add(task, COMPUTE);
        assertEquals(List.of(COMPUTE), task.startstops());
    }

    @Test
    void aComputationThenMore() {
        WorkerTask task = new WorkerTask("a");
        add(task, COMPUTE);
        add(task, TRANSFER);
        Startstop again = new Startstop("compute", 50, 60, null);
        add(task, again);
        assertEquals(List.of(COMPUTE, TRANSFER, again), task.startstops());
    }

    @Test
    void aTransferThenAComputation() {
        WorkerTask task = new WorkerTask("a");
        add(task, TRANSFER);
        add(task, COMPUTE);
        assertEquals(List.of(TRANSFER, COMPUTE), task.startstops());
    }

    private static void add(WorkerTask task, Startstop s) {
        task.addStartstop(s.action(), s.startMillis(), s.stopMillis(), s.source());
    }
}
