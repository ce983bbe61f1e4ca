package org.weft.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.weft.plugin.api.SchedulerTaskState;

/**
 * The scheduler's metrics for {@code /metrics}, computed at scrape time from one snapshot (as Dask
 * computes its own): Dask's names under {@code weft_} where Dask has one, and Weft's own. The list
 * is in the README ("Metrics").
 */
final class WeftMetrics implements MultiCollector {

    private static final String[] WORKER_LOADS = {"idle", "busy", "saturated"};

    private final SampleSource samples;
    private final java.util.function.IntSupplier pagesOpen;

    /** Where a scrape gets its sample. */
    interface SampleSource {
        Sample sample() throws Exception;
    }

    /** @param pagesOpen how many dashboard pages are open (live feed subscribers) */
    WeftMetrics(SampleSource samples, java.util.function.IntSupplier pagesOpen) {
        this.samples = samples;
        this.pagesOpen = pagesOpen;
    }

    @Override
    public MetricSnapshots collect() {
        Sample s;
        try {
            s = samples.sample();
        } catch (Exception e) {
            throw new IllegalStateException("no snapshot from the scheduler: " + e, e);
        }
        List<MetricSnapshot> all = snapshots(s);
        all.add(gauge("weft_dashboard_pages_open", "Dashboard pages open now (each gets the live updates)")
                .dataPoint(point(pagesOpen.getAsInt())).build());
        return new MetricSnapshots(all);
    }

    static List<MetricSnapshot> snapshots(Sample s) {
        List<MetricSnapshot> out = new ArrayList<>();
        List<Map<String, Object>> workers = s.list("workers");
        Map<String, Double> byLoad = new LinkedHashMap<>();
        for (String load : WORKER_LOADS) {
            byLoad.put(load, 0.0);
        }
        workers.forEach(w -> byLoad.merge(String.valueOf(w.get("load")), 1.0, Double::sum));
        GaugeSnapshot.Builder workerGauge = gauge("weft_scheduler_workers",
                "Workers connected to the scheduler, by state (idle, busy, saturated)");
        byLoad.forEach((load, n) -> workerGauge.dataPoint(point(n, "state", load)));
        out.add(workerGauge.build());
        out.add(gauge("weft_scheduler_clients", "Clients connected to the scheduler")
                .dataPoint(point(s.number("clients"))).build());

        Map<String, Object> tasks = s.map("tasks");
        GaugeSnapshot.Builder taskGauge = gauge("weft_scheduler_tasks", "Tasks the scheduler knows, by state");
        for (SchedulerTaskState state : SchedulerTaskState.values()) {
            if (state != SchedulerTaskState.FORGOTTEN) {
                taskGauge.dataPoint(point(number(tasks.get(state.label())), "state", state.label()));
            }
        }
        out.add(taskGauge.build());
        GaugeSnapshot.Builder prefixGauge = gauge("weft_scheduler_prefix_tasks",
                "Tasks the scheduler knows, by key prefix and state");
        s.map("prefixes").forEach((prefix, states) -> {
            if (states instanceof Map<?, ?> m) {
                m.forEach((state, n) -> prefixGauge.dataPoint(
                        point(number(n), "task_prefix_name", prefix, "state", String.valueOf(state))));
            }
        });
        out.add(prefixGauge.build());

        out.add(counter("weft_scheduler_transitions", "Task transitions on the scheduler since it started")
                .dataPoint(CounterDataPointSnapshot.builder().value(s.number("transitions")).build()).build());
        out.add(gauge("weft_scheduler_transitions_per_second", "Task transitions per second between the last two snapshots")
                .dataPoint(point(s.transitionsPerSecond())).build());
        out.add(counter("weft_scheduler_loop_busy_seconds", "Time the scheduler loop spent working since it started")
                .dataPoint(CounterDataPointSnapshot.builder().value(s.loopBusyNanos() / 1e9).build()).build());
        out.add(gauge("weft_scheduler_loop_busy_fraction",
                "Share of the time between the last two snapshots the scheduler loop was busy (0 to 1)")
                .dataPoint(point(s.loopBusyFraction())).build());
        out.add(gauge("weft_scheduler_loop_queue_length", "Stimuli waiting for the scheduler loop")
                .dataPoint(point(number(s.map("loop").get("queued")))).build());

        CounterSnapshot.Builder events = counter("weft_scheduler_events", "Events logged per topic (log_event)");
        s.map("events").forEach((topic, n) -> events.dataPoint(
                CounterDataPointSnapshot.builder().value(number(n)).labels(Labels.of("topic", topic)).build()));
        out.add(events.build());

        addPlugins(out, s.list("plugins"));
        addWorkers(out, workers);
        WorkerProcessMetrics.addTo(out, workers);
        return out;
    }

    private static void addPlugins(List<MetricSnapshot> out, List<Map<String, Object>> plugins) {
        out.add(pluginCounter("weft_plugin_calls", "Hook calls per plugin", plugins, p -> number(p.get("calls"))));
        out.add(pluginCounter("weft_plugin_errors", "Hook calls that threw, per plugin", plugins,
                p -> number(p.get("errors"))));
        out.add(pluginCounter("weft_plugin_time_seconds",
                "Time in a plugin's hooks (calls times the sampled mean time per call)", plugins,
                p -> number(p.get("calls")) * number(p.get("meanNanos")) / 1e9));
        out.add(pluginCounter("weft_plugin_dropped", "Events an asynchronous plugin dropped because its queue was full",
                plugins, p -> number(p.get("dropped"))));
        GaugeSnapshot.Builder max = gauge("weft_plugin_max_call_seconds", "The longest sampled hook call per plugin");
        GaugeSnapshot.Builder state = gauge("weft_plugin_state", "1 for a plugin's current state (ACTIVE, FAILED, ...)");
        for (Map<String, Object> p : plugins) {
            max.dataPoint(GaugeDataPointSnapshot.builder().value(number(p.get("maxNanos")) / 1e9).labels(pluginLabels(p)).build());
            state.dataPoint(GaugeDataPointSnapshot.builder().value(1)
                    .labels(pluginLabels(p).add("state", String.valueOf(p.get("state")))).build());
        }
        out.add(max.build());
        out.add(state.build());
    }

    private static CounterSnapshot pluginCounter(String name, String help, List<Map<String, Object>> plugins,
            ToDoubleFunction<Map<String, Object>> value) {
        CounterSnapshot.Builder b = counter(name, help);
        for (Map<String, Object> p : plugins) {
            b.dataPoint(CounterDataPointSnapshot.builder().value(value.applyAsDouble(p)).labels(pluginLabels(p)).build());
        }
        return b.build();
    }

    private static Labels pluginLabels(Map<String, Object> p) {
        return Labels.of("plugin", String.valueOf(p.get("name")), "kind", String.valueOf(p.get("kind")),
                "where", String.valueOf(p.get("where")));
    }

    private static void addWorkers(List<MetricSnapshot> out, List<Map<String, Object>> workers) {
        GaugeSnapshot.Builder threads = gauge("weft_worker_threads", "Executor threads per worker");
        GaugeSnapshot.Builder tasks = gauge("weft_scheduler_worker_tasks",
                "Tasks per worker as the scheduler sees them, by state (processing, memory)");
        GaugeSnapshot.Builder memory = gauge("weft_scheduler_worker_bytes",
                "Bytes of results a worker holds as the scheduler sees them (the sizes the worker reported)");
        GaugeSnapshot.Builder occupancy = gauge("weft_worker_occupancy_seconds",
                "Expected seconds of work processing on a worker");
        for (Map<String, Object> w : workers) {
            String worker = String.valueOf(w.get("name"));
            threads.dataPoint(point(number(w.get("nthreads")), "worker", worker));
            tasks.dataPoint(point(number(w.get("processing")), "worker", worker, "state", "processing"));
            tasks.dataPoint(point(number(w.get("inMemory")), "worker", worker, "state", "memory"));
            memory.dataPoint(point(number(w.get("nbytes")), "worker", worker));
            occupancy.dataPoint(point(number(w.get("occupancy")), "worker", worker));
        }
        out.add(threads.build());
        out.add(tasks.build());
        out.add(memory.build());
        out.add(occupancy.build());
    }

    static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    static CounterSnapshot.Builder counter(String name, String help) {
        return CounterSnapshot.builder().name(name).help(help);
    }

    private static GaugeDataPointSnapshot point(double value, String... labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }

    static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
