package org.weft.dashboard;

import static org.weft.dashboard.WeftMetrics.counter;
import static org.weft.dashboard.WeftMetrics.gauge;
import static org.weft.dashboard.WeftMetrics.number;

import java.util.List;
import java.util.Map;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * The metrics each worker process reports about itself with its heartbeats (the snapshot's
 * {@code workers[].process}, a worker process's {@code WorkerFigures}), under Dask's worker metric
 * names with a {@code worker} label: its own task counts by state, the bytes it holds, its
 * transfers, and its process's CPU and memory. Workers in the scheduler's process send none.
 */
final class WorkerProcessMetrics {

    private WorkerProcessMetrics() {
    }

    static void addTo(List<MetricSnapshot> out, List<Map<String, Object>> workers) {
        GaugeSnapshot.Builder tasks = gauge("weft_worker_tasks", "Tasks a worker process holds, by state, as it reports them");
        GaugeSnapshot.Builder memory = gauge("weft_worker_memory_bytes", "A worker process's memory as it reports it "
                + "(type=managed: the encoded sizes of the results it holds; unmanaged: the rest of its resident memory)");
        CounterSnapshot.Builder inCount = counter("weft_worker_transfer_incoming_count",
                "Data transfers a worker process received from its peers");
        CounterSnapshot.Builder inBytes = counter("weft_worker_transfer_incoming_bytes",
                "Bytes of results a worker process received from its peers");
        CounterSnapshot.Builder outCount = counter("weft_worker_transfer_outgoing_count",
                "Data transfers a worker process sent (to peers, and to the scheduler for clients)");
        CounterSnapshot.Builder outBytes = counter("weft_worker_transfer_outgoing_bytes",
                "Bytes of results a worker process sent");
        CounterSnapshot.Builder cpuSeconds = counter("weft_worker_process_cpu_seconds",
                "CPU time a worker process used since it started");
        GaugeSnapshot.Builder cpu = gauge("weft_worker_process_cpu_cores",
                "Cores a worker process used between its last two heartbeats");
        GaugeSnapshot.Builder rss = gauge("weft_worker_process_resident_memory_bytes", "A worker process's resident memory");
        GaugeSnapshot.Builder heap = gauge("weft_worker_process_heap_used_bytes", "The Java heap a worker process uses");
        GaugeSnapshot.Builder age = gauge("weft_worker_heartbeat_age_seconds",
                "Seconds since a worker process took the figures of its last heartbeat (by the scheduler's clock)");
        long now = System.currentTimeMillis();
        for (Map<String, Object> w : workers) {
            if (!(w.get("process") instanceof Map<?, ?> p)) {
                continue;
            }
            Labels worker = Labels.of("worker", String.valueOf(w.get("name")));
            if (p.get("tasks") instanceof Map<?, ?> byState) {
                byState.forEach((state, n) -> tasks.dataPoint(gaugePoint(number(n), worker.add("state", String.valueOf(state)))));
            }
            double managed = number(p.get("managedBytes"));
            double resident = number(p.get("rssBytes"));
            memory.dataPoint(gaugePoint(managed, worker.add("type", "managed")));
            if (resident >= 0) {
                memory.dataPoint(gaugePoint(Math.max(0, resident - managed), worker.add("type", "unmanaged")));
                rss.dataPoint(gaugePoint(resident, worker));
            }
            inCount.dataPoint(counterPoint(number(p.get("transferIncomingCount")), worker));
            inBytes.dataPoint(counterPoint(number(p.get("transferIncomingBytes")), worker));
            outCount.dataPoint(counterPoint(number(p.get("transferOutgoingCount")), worker));
            outBytes.dataPoint(counterPoint(number(p.get("transferOutgoingBytes")), worker));
            if (number(p.get("cpuSeconds")) >= 0) {
                cpuSeconds.dataPoint(counterPoint(number(p.get("cpuSeconds")), worker));
            }
            cpu.dataPoint(gaugePoint(number(p.get("cpu")), worker));
            heap.dataPoint(gaugePoint(number(p.get("heapUsedBytes")), worker));
            age.dataPoint(gaugePoint(Math.max(0, now - number(p.get("timeMillis"))) / 1000.0, worker));
        }
        out.add(tasks.build());
        out.add(memory.build());
        out.add(inCount.build());
        out.add(inBytes.build());
        out.add(outCount.build());
        out.add(outBytes.build());
        out.add(cpuSeconds.build());
        out.add(cpu.build());
        out.add(rss.build());
        out.add(heap.build());
        out.add(age.build());
    }

    private static GaugeDataPointSnapshot gaugePoint(double value, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    private static CounterDataPointSnapshot counterPoint(double value, Labels labels) {
        return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
    }
}
