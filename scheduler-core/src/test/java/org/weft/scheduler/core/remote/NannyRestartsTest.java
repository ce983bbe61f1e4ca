package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class NannyRestartsTest {

    private final NannyRestarts restarts = new NannyRestarts();
    /** The expiries asked for, run when the test says so. */
    private final List<Runnable> timers = new ArrayList<>();

    private static NannyRestarts.Awaited worker(String nanny, String name, String address) {
        return new NannyRestarts.Awaited(nanny, name, address);
    }

    @Test
    void completesOnceAFreshWorkerOfEachNannyJoinedWithTheirNames() throws Exception {
        CompletableFuture<List<String>> back = restarts.await(List.of(worker("n1", "w1", "tcp://h:1"),
                worker("n2", "w2", "tcp://h:2")), 5_000, timers::add);
        restarts.joined(null, "alone");
        restarts.joined("n3", "w3");
        restarts.joined("n2", "w2");
        assertFalse(back.isDone(), "n1's worker is not back yet");
        restarts.joined("n1", "w1");
        assertEquals(List.of("w2", "w1"), back.get());
        timers.forEach(Runnable::run); // the expiry after completion changes nothing
        assertEquals(List.of("w2", "w1"), back.get());
    }

    @Test
    void theTimeoutFailsNamingTheWorkersThatDidNotComeBack() {
        CompletableFuture<List<String>> back = restarts.await(List.of(worker("n1", "w1", "tcp://h:1"),
                worker("n2", "tcp://h:2", "tcp://h:2")), 2_500, timers::add);
        restarts.joined("n1", "w1");
        assertEquals(1, timers.size());
        timers.get(0).run();
        ExecutionException e = assertThrows(ExecutionException.class, back::get);
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals("waited 2.5 s for 2 worker(s) under nannies to come back after the restart; 1 did, 1 did not: "
                + "tcp://h:2 (is its nanny running? see its output; or give restart a longer timeout)", e.getCause().getMessage());
        restarts.joined("n2", "w2"); // too late: nothing left waiting
    }

    @Test
    void noWorkersUnderNanniesMeansNothingToWaitFor() throws Exception {
        CompletableFuture<List<String>> back = restarts.await(List.of(), 1_000, timers::add);
        assertTrue(back.isDone());
        assertEquals(List.of(), back.get());
        assertTrue(timers.isEmpty());
    }

    @Test
    void twoRestartsAtOnceEachGetTheJoin() throws Exception {
        CompletableFuture<List<String>> first = restarts.await(List.of(worker("n1", "w1", "a")), 1_000, timers::add);
        CompletableFuture<List<String>> second = restarts.await(List.of(worker("n1", "w1", "a")), 1_000, timers::add);
        restarts.joined("n1", "w1");
        assertEquals(List.of("w1"), first.get());
        assertEquals(List.of("w1"), second.get());
    }
}
