package org.weft.examples.errorlogger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.plugin.api.WorkerTaskView;
import org.weft.plugin.api.WorkerTransitionEvent;
import org.weft.plugin.api.WorkerView;

class ErrorLoggerTest {

    private final List<LogRecord> records = new ArrayList<>();
    private final Logger logger = Logger.getAnonymousLogger();

    ErrorLoggerTest() {
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private record FakeTask(String key, WorkerTaskState state, String exceptionText, String traceback)
            implements WorkerTaskView {
        @Override
        public long nbytes() {
            return -1;
        }

        @Override
        public List<Startstop> startstops() {
            return List.of();
        }
    }

    private record FakeWorker(Map<String, FakeTask> tasks) implements WorkerView {
        @Override
        public String address() {
            return "tcp://127.0.0.1:4001";
        }

        @Override
        public int nthreads() {
            return 1;
        }
    }

    private static WorkerTransitionEvent event(String key, WorkerTaskState start, WorkerTaskState finish) {
        return new WorkerTransitionEvent(key, start, finish, "test-" + key, "tcp://127.0.0.1:4001", -1,
                null, null, null);
    }

    @Test
    void logsTheFailedTaskFromTheWorkerView() throws Exception {
        ErrorLogger plugin = new ErrorLogger(logger);
        plugin.setup(new FakeWorker(Map.of(
                "inc-1", new FakeTask("inc-1", WorkerTaskState.ERROR, "ArithmeticException: / by zero",
                        "at Inc.apply(Inc.java:7)"))));

        plugin.transition(event("inc-1", WorkerTaskState.EXECUTING, WorkerTaskState.ERROR));

        assertEquals(1, records.size());
        LogRecord record = records.get(0);
        assertEquals(Level.SEVERE, record.getLevel());
        assertTrue(record.getMessage().startsWith(
                "Error during computation of 'inc-1': ArithmeticException: / by zero"), record.getMessage());
        assertTrue(record.getMessage().contains("at Inc.apply(Inc.java:7)"), record.getMessage());
    }

    @Test
    void ignoresOtherTransitions() throws Exception {
        ErrorLogger plugin = new ErrorLogger(logger);
        plugin.setup(new FakeWorker(Map.of()));

        plugin.transition(event("a", WorkerTaskState.READY, WorkerTaskState.EXECUTING));
        plugin.transition(event("a", WorkerTaskState.EXECUTING, WorkerTaskState.MEMORY));
        plugin.transition(event("a", WorkerTaskState.MEMORY, WorkerTaskState.RELEASED));

        assertEquals(0, records.size());
    }
}
