package org.weft.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Runs each workload at a tiny size and checks it prints its figures as numeric {@code name: value}
 * lines. A smoke test: nothing about timing is asserted.
 */
class MainSmokeTest {

    private static final String NUMBER = "-?\\d+(\\.\\d+)?";

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertEquals(0, rc, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);
        String text = out.toString();
        assertTrue(text.startsWith("# "), () -> "header comment first:\n" + text);
        return text;
    }

    private static void assertFigure(String output, String name) {
        Pattern line = Pattern.compile("(?m)^" + Pattern.quote(name) + ": " + NUMBER + "$");
        assertTrue(line.matcher(output).find(), () -> "no numeric '" + name + ":' line in:\n" + output);
    }

    @Test
    void noop() {
        String out = run("noop", "--tasks", "200", "--warmup", "100", "--repeats", "2");
        assertFigure(out, "tasks_per_s");
        assertFigure(out, "elapsed_s");
        assertFigure(out, "cpu_us_per_task");
        assertFigure(out, "alloc_bytes_per_task");
        assertTrue(out.contains("# heap bytes allocated per task by thread: "), out);
    }

    @Test
    void tree() {
        String out = run("tree", "--leaves", "200", "--warmup", "100", "--repeats", "1");
        assertFigure(out, "tasks_per_s");
        assertFigure(out, "alloc_bytes_per_task");
        assertFigure(out, "tasks");
    }

    /** Against the real broker on 127.0.0.1:5672. */
    @Test
    void rabbitmq() {
        String out = run("rabbitmq", "--tasks", "200", "--warmup", "100", "--rounds", "1");
        assertFigure(out, "published_per_s");
        assertFigure(out, "scheduler_ratio_with_rabbitmq");
        assertFigure(out, "lag_ms_median");
        assertFigure(out, "lag_ms_p99");
        assertFigure(out, "bare_client_published_per_s");
    }

    @Test
    void profiling() {
        String out = run("profiling", "--tasks", "200", "--warmup", "100", "--repeats", "1", "--interval", "10");
        assertFigure(out, "tasks_per_s_without_profiling");
        assertFigure(out, "tasks_per_s_with_profiling");
        assertFigure(out, "profiling_throughput_ratio");
    }

    @Test
    void plugins() {
        String out = run("plugins", "--tasks", "200", "--warmup", "100", "--repeats", "1", "--warmup-rounds", "0");
        assertFigure(out, "tasks_per_s_0_plugins");
        assertFigure(out, "tasks_per_s_1_plugin");
        assertFigure(out, "tasks_per_s_10_plugins");
        assertFigure(out, "overhead_1_plugin");
        assertFigure(out, "overhead_10_plugins");
    }

    @Test
    void slowDrop() {
        String out = run("slow-drop", "--tasks", "200", "--warmup", "100", "--repeats", "1", "--plugin-millis", "1",
                "--queue", "4");
        assertFigure(out, "tasks_per_s_no_plugin");
        assertFigure(out, "tasks_per_s_slow_drop_plugin");
        assertFigure(out, "ratio_slow_drop_plugin");
    }

    @Test
    void startup() {
        String out = run("startup", "--repeats", "1");
        assertFigure(out, "local_start_ms");
    }

    @Test
    void scale() {
        // blocks of 3 000 tasks: the CPU ratio needs the smaller size's blocks to use at least one
        // step of the process CPU clock (10 ms); 300-task blocks did not always, on a fast machine
        String out = run("scale", "--sizes", "1000,3000", "--warmup", "0");
        assertFigure(out, "tasks_per_s_1000");
        assertFigure(out, "tasks_per_s_3000");
        assertFigure(out, "cpu_us_per_task_3000");
        assertFigure(out, "cpu_cost_ratio_3000");
        assertFalse(out.contains("Infinity") || out.contains("NaN"), out);
        assertFigure(out, "time_cost_ratio_3000");
        assertFigure(out, "gc_pause_s_3000");
        assertFigure(out, "time_cost_ratio_outside_gc_3000");
    }

    @Test
    void heap() {
        String out = run("heap", "--tasks", "2000", "--warmup", "100");
        assertFigure(out, "heap_bytes_per_task");
        assertFigure(out, "heap_bytes_per_task_cluster");
        assertFigure(out, "heap_bytes_per_task_finished_cluster");
    }

    @Test
    void unknownWorkloadFails() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(new PrintWriter(out), new PrintWriter(err), "nope");
        assertTrue(rc != 0, "an unknown workload is an error");
    }
}
