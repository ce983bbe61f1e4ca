package org.weft.benchmarks;

import org.weft.local.LocalClusterConfig;
import org.weft.scheduler.core.state.SchedulerConfig;

import picocli.CommandLine.Option;

/** The cluster shape every workload takes: {@code --workers}, {@code --threads}, {@code --warmup}. */
final class ClusterOptions {

    @Option(names = "--workers", defaultValue = "2", description = "workers in the local cluster (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--threads", defaultValue = "1", description = "executor threads per worker (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--warmup", defaultValue = "200000",
            description = "no-op tasks run untimed before measuring, in graphs of 10 000 (default ${DEFAULT-VALUE}; 0: none)")
    int warmup;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds a single timed run may take (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "--worker-saturation", defaultValue = "1.1",
            description = "root-ish tasks per worker thread before the rest queue on the scheduler; inf: no queuing "
                    + "(default ${DEFAULT-VALUE}, as etc/org.weft.scheduler.cfg)")
    String workerSaturation;

    @Option(names = "--work-stealing", defaultValue = "true", arity = "1",
            description = "start the built-in work-stealing plugin (default ${DEFAULT-VALUE})")
    boolean workStealing;

    /** The local cluster these options describe. */
    LocalClusterConfig config() {
        return LocalClusterConfig.of(workers).withThreads(threads).withScheduler(SchedulerConfig.DEFAULTS
                .withWorkerSaturation(SchedulerConfig.parseSaturation(workerSaturation)).withWorkStealing(workStealing));
    }

    /** For the header line. */
    String schedulerSettings() {
        return "worker-saturation " + workerSaturation + ", work stealing " + (workStealing ? "on" : "off");
    }
}
