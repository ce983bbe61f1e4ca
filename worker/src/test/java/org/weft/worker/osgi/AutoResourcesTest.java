package org.weft.worker.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.MetricsSource;

/** {@code --resources NAME=auto}: split from the numbers, then counted by whichever source names it. */
class AutoResourcesTest {

    private static MetricsSource counting(String name, Map<String, Double> resources) {
        return new MetricsSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String describe() {
                return name + " here";
            }

            @Override
            public void read(Gauges gauges) {
            }

            @Override
            public Map<String, Double> resources() {
                return resources;
            }
        };
    }

    @Test
    void autoNamesAreSplitFromTheNumbers() {
        assertEquals(new AutoResources.Spec("MEMORY=8e9", List.of("GPU")), AutoResources.split("GPU=auto,MEMORY=8e9"));
        assertEquals(new AutoResources.Spec("", List.of("GPU", "TPU")), AutoResources.split("GPU=auto, TPU = auto"));
        assertEquals(new AutoResources.Spec("GPU=1", List.of()), AutoResources.split("GPU=1"));
        assertEquals(new AutoResources.Spec(null, List.of()), AutoResources.split(null));
    }

    @Test
    void aSourceThatAppearsLaterIsWaitedForAndOneNamingNothingIsOfferedAsZero() throws Exception {
        Collection<MetricsSource> sources = new CopyOnWriteArrayList<>(List.of(counting("other", Map.of())));
        Thread plugin = new Thread(() -> {
            try {
                Thread.sleep(300); // the GPU plugin starts after the worker was made
            } catch (InterruptedException e) {
                return;
            }
            sources.add(counting("gpu", Map.of("GPU", 2.0)));
        });
        plugin.start();
        assertEquals(Map.of("GPU", 2.0), AutoResources.resolve(List.of("GPU"), () -> sources, 20_000));
        plugin.join();
        assertEquals(Map.of("GPU", 2.0, "TPU", 0.0), AutoResources.resolve(List.of("GPU", "TPU"), () -> sources, 200),
                "TPU: nobody counts it; offered as 0 after the wait");
    }
}
