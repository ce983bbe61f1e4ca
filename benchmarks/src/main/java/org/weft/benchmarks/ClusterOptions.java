package org.weft.benchmarks;

import picocli.CommandLine.Option;

/** The cluster shape every workload takes: {@code --workers}, {@code --threads}, {@code --warmup}. */
final class ClusterOptions {

    @Option(names = "--workers", defaultValue = "2", description = "workers in the local cluster (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--threads", defaultValue = "1", description = "executor threads per worker (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--warmup", defaultValue = "20000",
            description = "no-op tasks run once, untimed, before measuring (default ${DEFAULT-VALUE}; 0: none)")
    int warmup;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds a single timed run may take (default ${DEFAULT-VALUE})")
    long timeoutSeconds;
}
