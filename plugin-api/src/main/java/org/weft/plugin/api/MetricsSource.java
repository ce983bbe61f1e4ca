package org.weft.plugin.api;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Figures a plugin can add to what Weft samples of each node, e.g. GPU utilization, memory,
 * temperature and power. Register an implementation as an OSGi service (or hand it to code that
 * samples, such as the resource monitor). While a recording runs, the resource monitor reads every
 * source at each sampling interval and writes its gauges beside the node's CPU and memory, in the
 * trace (a counter track each) and the HTML report (plotted by unit); {@code weft:workers} and
 * {@code weft:profile status} show {@link #describe()}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #read} is called on the sampler's thread, one call at a time, every sampling
 *       interval (100 ms by default): keep it quick (microseconds per gauge, not milliseconds).</li>
 *   <li>A source with nothing to measure (no device, no driver) says so in {@link #describe()} and
 *       reports no gauge; that is not an error. An exception from {@link #read} is logged and the
 *       source is left out of that sample.</li>
 *   <li>Gauge names are stable between reads (they name the track), e.g. {@code GPU 0 utilization};
 *       units are {@code %}, {@code bytes}, {@code bytes/s}, {@code count}, {@code °C} or {@code W}.</li>
 * </ul>
 *
 * @since 1.3
 */
@ConsumerType
public interface MetricsSource {

    /** A short name, e.g. {@code gpu}. */
    String name();

    /**
     * One line about what this source measures here, e.g. {@code 2 GPUs: NVIDIA H100 80GB HBM3 (2×)} or
     * {@code no GPU found (libnvidia-ml.so.1 not found)}. Called from any thread.
     */
    String describe();

    /** Reports the figures now, one {@link Gauges#gauge} call per figure. */
    void read(Gauges gauges);

    /**
     * The resources this source finds on this machine, by name, e.g. {@code GPU} → 2 (the GPU
     * plugin), and 0 for a resource it looks for and does not find. A worker process started with
     * {@code --resources NAME=auto} offers the amount the source naming {@code NAME} reports (see
     * {@code bin/weft worker --help}). Called once, from any thread, when such a worker starts;
     * none by default.
     *
     * @since 1.3
     */
    default java.util.Map<String, Double> resources() {
        return java.util.Map.of();
    }

    /**
     * Where a source puts what it read; implemented by Weft.
     *
     * @since 1.3
     */
    @ProviderType
    @FunctionalInterface
    interface Gauges {
        /**
         * @param name what is measured, e.g. {@code GPU 0 memory used}
         * @param unit its unit, e.g. {@code bytes}
         * @param value the value now
         */
        void gauge(String name, String unit, double value);
    }
}
