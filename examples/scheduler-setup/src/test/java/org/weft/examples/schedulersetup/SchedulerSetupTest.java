package org.weft.examples.schedulersetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.PreloadNode;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TaskView;
import org.weft.plugin.api.TransitionRecord;
import org.weft.plugin.api.WorkerEvent;
import org.weft.plugin.api.WorkerInfo;
import org.weft.plugin.api.WorkerPlugin;

import picocli.CommandLine;

class SchedulerSetupTest {

    /** A scheduler about to start: keeps the plugins the preload adds. */
    private static final class Scheduler implements PreloadNode {
        final List<SchedulerPlugin> plugins = new ArrayList<>();
        final List<String> names = new ArrayList<>();

        @Override
        public Role role() {
            return Role.SCHEDULER;
        }

        @Override
        public String schedulerAddress() {
            return "tcp://127.0.0.1:8786";
        }

        @Override
        public void addPlugin(SchedulerPlugin plugin, PluginOptions options) {
            plugins.add(plugin);
            names.add(options.name());
        }

        @Override
        public void addPlugin(WorkerPlugin plugin, PluginOptions options) {
            throw new IllegalStateException("not a worker");
        }
    }

    private static SchedulerView schedulerWith(Map<String, WorkerInfo> workers) {
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

    @Test
    void printCountComesFromTheCommandLineAndTheSetupAddsThePlugin() {
        SchedulerSetup setup = new SchedulerSetup();
        new CommandLine(setup).parseArgs("--print-count");
        Scheduler scheduler = new Scheduler();
        setup.setup(scheduler);
        assertEquals(List.of(SchedulerSetup.PLUGIN_NAME), scheduler.names);
        assertEquals(true, setup.printCount);
        SchedulerSetup negated = new SchedulerSetup();
        new CommandLine(negated).parseArgs("--no-print-count");
        assertEquals(false, negated.printCount);
        assertThrows(CommandLine.UnmatchedArgumentException.class, () -> new CommandLine(new SchedulerSetup()).parseArgs("--count"));
    }

    @Test
    void thePluginPrintsEachAddedWorkerAndTheTotalWhenAsked() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, WorkerInfo> workers = new LinkedHashMap<>();
        WorkerPrinter printer = new WorkerPrinter(true, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        printer.start(schedulerWith(workers));
        workers.put("tcp://127.0.0.1:4001", null);
        printer.addWorker(new WorkerEvent("tcp://127.0.0.1:4001", 2, "s1"));
        workers.put("tcp://127.0.0.1:4002", null);
        printer.addWorker(new WorkerEvent("tcp://127.0.0.1:4002", 2, "s2"));
        assertEquals(List.of("Added a new worker at: tcp://127.0.0.1:4001", "Total workers: 1",
                "Added a new worker at: tcp://127.0.0.1:4002", "Total workers: 2"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());

        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        WorkerPrinter noCount = new WorkerPrinter(false, new PrintStream(quiet, true, StandardCharsets.UTF_8));
        noCount.start(schedulerWith(workers));
        noCount.addWorker(new WorkerEvent("tcp://127.0.0.1:4003", 1, "s3"));
        assertEquals(List.of("Added a new worker at: tcp://127.0.0.1:4003"), quiet.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
