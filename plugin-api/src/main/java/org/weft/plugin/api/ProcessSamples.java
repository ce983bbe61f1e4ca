package org.weft.plugin.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The latest sample of this process's CPU and memory, offered as an OSGi service by code that
 * samples them: the resource monitor (bundle {@code org.weft.plugins.resourcemonitor}) registers one
 * and answers while it records resource samples ({@code weft:profile start}, or {@code autostart}).
 * Where the workers run inside the scheduler's process ({@code bin/weft local}), the scheduler's
 * dashboard shows these figures beside them, as that one process's, shared by all of them: such
 * workers have no process of their own to report on (worker processes report their own figures
 * with their heartbeats).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #latest} may be called from any thread, a few times a second: it answers what was
 *       sampled last and never samples itself (quick, never blocks).</li>
 *   <li>It answers {@code null} while no sample is current: not recording, or no sample taken yet.</li>
 *   <li>A reader that finds several such services may use any of them.</li>
 * </ul>
 *
 * @since 1.4
 */
@ConsumerType
public interface ProcessSamples {

    /** The latest sample of this process, or {@code null} while there is none current. */
    Sample latest();

    /**
     * One sample of this process.
     *
     * @param timeMillis when it was taken ({@link System#currentTimeMillis()})
     * @param cpuCores the CPU this process used between this sample and the one before, in cores
     *        (1.0 = one core busy all that time); negative when not known (the first sample)
     * @param residentBytes its resident memory; negative when the system does not say
     * @param heapUsedBytes the Java heap in use; negative when not known
     * @since 1.4
     */
    record Sample(long timeMillis, double cpuCores, long residentBytes, long heapUsedBytes) {
    }
}
