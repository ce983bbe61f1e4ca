package org.weft.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.weft.client.spi.TaskScope;

/** Client.current() and seceding while a task thread waits for futures. */
class TaskScopeTest {

    private final FakeConnection conn = new FakeConnection();
    private final Client client = Client.connect(conn);

    /** Records secede/rejoin calls, as a worker would receive them. */
    private final class RecordingScope implements TaskScope {
        final List<String> calls = new ArrayList<>();

        @Override
        public Client client() {
            return client;
        }

        @Override
        public synchronized void secede() {
            calls.add("secede");
        }

        @Override
        public synchronized void rejoin() {
            calls.add("rejoin");
        }
    }

    @Test
    void currentIsTheScopesClientInsideATaskAndAnErrorOutside() throws Exception {
        IllegalStateException outside = assertThrows(IllegalStateException.class, Client::current);
        assertTrue(outside.getMessage().contains("inside a task"), outside.getMessage());

        RecordingScope scope = new RecordingScope();
        assertSame(client, TaskScope.callIn(scope, Client::current));
        assertNull(TaskScope.current(), "the scope ends with the task");
    }

    @Test
    void aNestedScopeGivesBackTheOuterOneThenNoneAndAThreadRunsTaskAfterTask() throws Exception {
        RecordingScope outer = new RecordingScope();
        RecordingScope inner = new RecordingScope();
        TaskScope seenAfterInner = TaskScope.callIn(outer, () -> {
            assertSame(inner, TaskScope.callIn(inner, TaskScope::current));
            return TaskScope.current();
        });
        assertSame(outer, seenAfterInner, "the outer task's scope is back after the inner one");
        assertNull(TaskScope.current());
        for (int i = 0; i < 3; i++) { // the next task on this thread gets its own scope, and none after it
            RecordingScope next = new RecordingScope();
            assertSame(next, TaskScope.callIn(next, TaskScope::current));
            assertNull(TaskScope.current());
        }
        assertThrows(IllegalStateException.class, Client::current);
    }

    @Test
    void waitingForAPendingFutureInsideATaskSecedesAndRejoins() throws Exception {
        RecordingScope scope = new RecordingScope();
        WeftFuture f = client.submit("inc", 1);
        CompletableFuture.runAsync(() -> conn.finish(f.key(), 2L), CompletableFuture.delayedExecutor(100,
                TimeUnit.MILLISECONDS));
        assertEquals(2L, TaskScope.callIn(scope, () -> f.get(10, TimeUnit.SECONDS)));
        assertEquals(List.of("secede", "rejoin"), scope.calls);

        WeftFuture g = client.submit("inc", 2);
        WeftFuture h = client.submit("inc", 3);
        CompletableFuture.runAsync(() -> {
            conn.finish(g.key(), 3L);
            conn.finish(h.key(), 4L);
        }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
        assertEquals(List.of(3L, 4L), TaskScope.callIn(scope, () -> client.gather(List.of(g, h))));
        assertEquals(List.of("secede", "rejoin", "secede", "rejoin"), scope.calls);
    }

    @Test
    void aFutureAlreadyDoneDoesNotSecede() throws Exception {
        RecordingScope scope = new RecordingScope();
        WeftFuture f = client.submit("inc", 1);
        conn.finish(f.key(), 2L);
        assertEquals(2L, TaskScope.callIn(scope, () -> f.get()));
        assertEquals(List.of(2L), TaskScope.callIn(scope, () -> client.gather(List.of(f))));
        assertEquals(List.of(), scope.calls);
    }
}
