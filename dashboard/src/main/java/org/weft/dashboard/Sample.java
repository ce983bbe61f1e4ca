package org.weft.dashboard;

import java.util.List;
import java.util.Map;

/**
 * One snapshot of the scheduler ({@code ClusterSnapshotService}'s map) with the rates since the
 * one before it.
 *
 * @param snapshot the scheduler's answer (JSON-able)
 * @param nanoTime when it was taken ({@link System#nanoTime()})
 * @param transitionsPerSecond transitions per second since the previous sample (0 for the first)
 * @param loopBusyFraction the share of that time the scheduler loop was busy, 0 to 1
 */
record Sample(Map<String, Object> snapshot, long nanoTime, double transitionsPerSecond, double loopBusyFraction) {

    long number(String key) {
        return snapshot.get(key) instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String key) {
        return snapshot.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(String key) {
        return snapshot.get(key) instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    long loopBusyNanos() {
        return map("loop").get("busyNanos") instanceof Number n ? n.longValue() : 0;
    }
}
