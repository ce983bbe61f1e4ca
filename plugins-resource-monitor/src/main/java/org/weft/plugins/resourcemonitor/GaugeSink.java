package org.weft.plugins.resourcemonitor;

/** Where a probe puts what it read: one call per metric. */
@FunctionalInterface
interface GaugeSink {
    void gauge(String metric, String unit, double value);
}
