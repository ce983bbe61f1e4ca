package org.weft.scheduler.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.scheduler.core.state.SchedulerConfig;

/** Reading etc/org.weft.scheduler.cfg: each key typed and checked on its own. */
class SchedulerSettingsTest {

    @Test
    void noKeysAreTheDefaults() {
        SchedulerSettings.Read read = SchedulerSettings.read(Map.of("service.pid", "org.weft.scheduler"),
                SchedulerSettings.DEFAULTS);
        assertEquals(SchedulerSettings.DEFAULTS, read.settings());
        assertEquals(List.of(), read.rejected());
    }

    @Test
    void stringsAsFileInstallGivesThemAndTypedValuesAreRead() {
        SchedulerSettings s = SchedulerSettings.read(Map.of("workStealing", "FALSE", "workerSaturation", " inf ",
                "idleTimeoutMillis", 2000L, "plugin.slowCallMillis", "50", "worker.resources", "GPU=1",
                "storyCapacity", 7, "roundTripSlots", "false"), SchedulerSettings.DEFAULTS).settings();
        assertFalse(s.scheduler().roundTripSlots());
        assertFalse(s.scheduler().workStealing());
        assertFalse(s.scheduler().queuing());
        assertEquals(2000, s.scheduler().idleTimeoutMillis());
        assertEquals(7, s.scheduler().storyCapacity());
        assertEquals(50_000_000, s.plugins().slowCallNanos());
        assertEquals(Map.of("GPU", 1.0), s.workerResources());
    }

    @Test
    void aMalformedValueIsRejectedNamingKeyAndValueAndTheRunningValueStays() {
        SchedulerSettings running = new SchedulerSettings(SchedulerConfig.DEFAULTS.withWorkerSaturation(2)
                .withIdleTimeout(5000), PluginHostConfig.DEFAULTS.withMaxConsecutiveFailures(4), Map.of());
        SchedulerSettings.Read read = SchedulerSettings.read(Map.of("workerSaturation", "lots", "idleTimeoutMillis",
                "-1", "workStealing", "maybe", "plugin.maxConsecutiveFailures", "2.5", "allowedFailures", "9",
                "worker.resources", "GPU"), running);
        assertEquals(2.0, read.settings().scheduler().workerSaturation());
        assertEquals(5000, read.settings().scheduler().idleTimeoutMillis());
        assertEquals(true, read.settings().scheduler().workStealing());
        assertEquals(4, read.settings().plugins().maxConsecutiveFailures());
        assertEquals(9, read.settings().scheduler().allowedFailures(), "a good value beside bad ones applies");
        assertEquals(Map.of(), read.settings().workerResources());
        assertEquals(List.of(
                "org.weft.scheduler: plugin.maxConsecutiveFailures = '2.5' is rejected (not a whole number); keeping"
                        + " plugin.maxConsecutiveFailures = 4",
                "org.weft.scheduler: workerSaturation = 'lots' is rejected (not a number, nor inf); keeping"
                        + " workerSaturation = 2.0",
                "org.weft.scheduler: workStealing = 'maybe' is rejected (must be true or false); keeping"
                        + " workStealing = true",
                "org.weft.scheduler: idleTimeoutMillis = '-1' is rejected (must be 0 or more); keeping"
                        + " idleTimeoutMillis = 5000"),
                read.rejected().subList(0, 4));
        assertEquals(5, read.rejected().size(), "and worker.resources: " + read.rejected());
    }

    @Test
    void changesAreListedWithOldAndNewValueApartFromThoseNeedingARestart() {
        SchedulerSettings after = SchedulerSettings.read(Map.of("workStealing", "false", "workerSaturation", "inf",
                "validate", "true", "worker.resources", "GPU=2"), SchedulerSettings.DEFAULTS).settings();
        assertEquals(List.of("workerSaturation 1.1 -> inf", "workStealing true -> false"),
                after.changesFrom(SchedulerSettings.DEFAULTS, false));
        assertEquals(List.of("worker.resources {} -> {GPU=2.0}", "validate false -> true"),
                after.changesFrom(SchedulerSettings.DEFAULTS, true));
        SchedulerSettings applied = after.keepingRestartOnly(SchedulerSettings.DEFAULTS);
        assertEquals(List.of(), applied.changesFrom(SchedulerSettings.DEFAULTS, true));
        assertEquals(2, applied.changesFrom(SchedulerSettings.DEFAULTS, false).size());
    }
}
