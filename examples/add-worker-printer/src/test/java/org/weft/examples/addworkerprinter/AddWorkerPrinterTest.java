package org.weft.examples.addworkerprinter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TaskView;
import org.weft.plugin.api.TransitionRecord;
import org.weft.plugin.api.WorkerEvent;
import org.weft.plugin.api.WorkerInfo;

class AddWorkerPrinterTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private static AddWorkerPrinter.Config config(boolean printCount) {
        return new AddWorkerPrinter.Config() {
            @Override
            public boolean printCount() {
                return printCount;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return AddWorkerPrinter.Config.class;
            }
        };
    }

    /** A scheduler with the given workers; nothing else is used by the plugin. */
    private static SchedulerView schedulerWith(String... addresses) {
        Map<String, WorkerInfo> workers = new LinkedHashMap<>();
        for (String address : addresses) {
            workers.put(address, null);
        }
        return new SchedulerView() {
            @Override
            public Map<String, ? extends TaskView> tasks() {
                return Map.of();
            }

            @Override
            public Map<String, ? extends WorkerInfo> workers() {
                return workers;
            }

            @Override
            public Set<String> clients() {
                return Set.of();
            }

            @Override
            public List<TransitionRecord> story(String key) {
                return List.of();
            }
        };
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void printsTheNewWorkerOnly() {
        AddWorkerPrinter plugin = new AddWorkerPrinter(config(false), out);
        plugin.start(schedulerWith("tcp://10.0.0.1:4000"));

        plugin.addWorker(new WorkerEvent("tcp://10.0.0.1:4000", 4, "add-worker-1"));

        assertEquals(List.of("Added a new worker at: tcp://10.0.0.1:4000"), lines());
    }

    @Test
    void printsTheWorkerCountWhenConfigured() {
        AddWorkerPrinter plugin = new AddWorkerPrinter(config(true), out);
        plugin.start(schedulerWith("tcp://10.0.0.1:4000", "tcp://10.0.0.2:4000"));

        plugin.addWorker(new WorkerEvent("tcp://10.0.0.2:4000", 2, "add-worker-2"));

        assertEquals(List.of("Added a new worker at: tcp://10.0.0.2:4000", "Total workers: 2"), lines());
    }
}
