package org.weft.worker.osgi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.MetricsSource;

/**
 * A worker process's {@code --resources NAME=auto}: the amount of {@code NAME} is what an installed
 * {@link MetricsSource} finds on this machine ({@link MetricsSource#resources()}: the GPU plugin
 * counts the GPUs as {@code GPU}). The plugins start after the worker is made, so the worker waits
 * for them (up to {@link #WAIT_MILLIS}) before it joins; a resource no source names by then is
 * offered as 0, with a warning.
 */
final class AutoResources {

    private static final Logger LOG = LoggerFactory.getLogger(AutoResources.class);
    /** How long a worker waits for a plugin to count an {@code auto} resource. */
    static final long WAIT_MILLIS = 30_000;
    static final String AUTO = "auto";

    /** A resources spec split into its numbers ({@code fixed}, a spec) and the names given as {@code auto}. */
    record Spec(String fixed, List<String> auto) {
    }

    private AutoResources() {
    }

    /** Splits {@code GPU=auto,MEMORY=8e9} into {@code MEMORY=8e9} and {@code [GPU]}; null stays null. */
    static Spec split(String spec) {
        if (spec == null || spec.isBlank()) {
            return new Spec(spec, List.of());
        }
        StringJoiner fixed = new StringJoiner(",");
        List<String> auto = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(eq + 1).trim().equals(AUTO)) {
                auto.add(part.substring(0, eq).trim());
            } else {
                fixed.add(part);
            }
        }
        return new Spec(fixed.toString(), List.copyOf(auto));
    }

    /**
     * The amount of each {@code auto} name, as the first source naming it reports; waits up to
     * {@code waitMillis} for sources to appear, polling {@code sources}.
     */
    static Map<String, Double> resolve(List<String> names, Supplier<Collection<MetricsSource>> sources, long waitMillis) {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        Map<String, Double> found = new LinkedHashMap<>();
        Map<String, String> by = new LinkedHashMap<>();
        while (true) {
            for (MetricsSource source : sources.get()) {
                Map<String, Double> offered;
                try {
                    offered = source.resources();
                } catch (RuntimeException e) {
                    LOG.warn("metrics source '{}' could not count its resources", source.name(), e);
                    continue;
                }
                for (String name : names) {
                    Double amount = offered.get(name);
                    if (amount != null && !found.containsKey(name)) {
                        found.put(name, amount);
                        by.put(name, source.name() + ": " + source.describe());
                    }
                }
            }
            if (found.size() == names.size() || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : names) {
            Double amount = found.get(name);
            if (amount == null) {
                LOG.warn("{}={}: no installed plugin counts '{}' within {} ms; offering {}=0", name, AUTO, name, waitMillis,
                        name);
                out.put(name, 0.0);
            } else {
                LOG.info("{}={}: offering {}={} ({})", name, AUTO, name, amount, by.get(name));
                out.put(name, amount);
            }
        }
        return out;
    }

    /** {@link #resolve} over the {@link MetricsSource} services of this framework. */
    static Map<String, Double> resolve(List<String> names, BundleContext context, long waitMillis) {
        ServiceTracker<MetricsSource, MetricsSource> tracker = new ServiceTracker<>(context, MetricsSource.class, null);
        tracker.open();
        try {
            return resolve(names, () -> tracker.getTracked().values(), waitMillis);
        } finally {
            tracker.close();
        }
    }
}
