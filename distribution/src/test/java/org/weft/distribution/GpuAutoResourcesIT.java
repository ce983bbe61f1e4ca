package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code weft worker --resources GPU=auto} as shipped, on a machine without a GPU: the GPU plugin
 * reads a stand-in NVML (two devices, built here with gcc from {@code plugins-gpu/src/test/c}) named
 * in {@code etc/org.weft.plugins.gpu.cfg}, and the worker offers {@code GPU=2}, so a task asking for
 * two GPUs runs there.
 */
class GpuAutoResourcesIT {

    @RegisterExtension
    static final WeftProcess.Group processes = new WeftProcess.Group();

    @Test
    void aWorkerOffersTheGpusThePluginFinds() throws Exception {
        Path nvml = standInNvml(processes.dir());
        Files.writeString(processes.weft().home().resolve("etc/org.weft.plugins.gpu.cfg"), "nvmlLibrary = " + nvml + "\n");
        WeftProcess scheduler = processes.start("scheduler", "scheduler", "--port", "0", "--no-console");
        String address = scheduler.awaitLine("scheduler at (tcp://127\\.0\\.0\\.1:\\d+)").group(1);
        WeftProcess worker = processes.start("gpu-box", "worker", address, "--name", "gpu-box", "--nthreads", "1",
                "--resources", "GPU=auto,MEMORY=8e9", "--no-console", "--no-nanny");
        worker.awaitLine("worker gpu-box at tcp://127\\.0\\.0\\.1:\\d+ joined " + Pattern.quote(address));
        Path log = processes.weft().home().resolve("data/worker-" + worker.pid() + "/log/weft.log");
        String text = WeftInstall.read(log);
        assertTrue(text.contains("GPU=auto: offering GPU=2.0 (gpu: 2 GPUs: 0 Stand-in GPU A100, 1 Stand-in GPU MIG 1g.10gb)"),
                text);

        Path graph = Files.writeString(processes.dir().resolve("gpus.json"), """
                {"tasks": {"on-two-gpus": {"fn": "inc", "args": [41], "resources": {"GPU": 2, "MEMORY": 1e9}}},
                 "keys": ["on-two-gpus"]}
                """);
        WeftProcess submit = processes.start("submit", "submit", graph.toString(), "--scheduler", address);
        assertEquals(0, submit.awaitExit(java.time.Duration.ofMinutes(2)), submit.describe());
        assertTrue(submit.stdout().contains("on-two-gpus = 42"), submit.describe());
    }

    /** libnvml_standin.so built with gcc; the test is skipped, saying why, without gcc. */
    private static Path standInNvml(Path dir) throws Exception {
        Path gcc = List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)).stream()
                .map(d -> Path.of(d, "gcc")).filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(gcc != null, "SKIPPED: no gcc to build the stand-in NVML (apt-get install gcc)");
        Path source = Path.of("../plugins-gpu/src/test/c/nvml_standin.c").toAbsolutePath().normalize();
        Path so = dir.resolve("libnvml_standin.so");
        Process p = new ProcessBuilder(gcc.toString(), "-shared", "-fPIC", "-O1", "-o", so.toString(), source.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "gcc failed: " + output);
        return so;
    }
}
