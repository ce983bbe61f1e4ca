package org.weft.plugins.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Compiles a stand-in shared library from {@code src/test/c} with the system's C compiler. */
final class StandInLibrary {

    private StandInLibrary() {
    }

    /** Builds {@code source} into {@code dir}; the test is skipped, saying why, when there is no gcc. */
    static Path build(String source, Path dir, String... defines) throws IOException, InterruptedException {
        Path gcc = onPath("gcc");
        Assumptions.assumeTrue(gcc != null, "SKIPPED: no gcc on the PATH to build the stand-in " + source
                + " (apt-get install gcc); the JNA bindings are not exercised");
        Path c = Path.of(System.getProperty("weft.test.c.dir", "src/test/c"), source);
        Path so = dir.resolve("lib" + source.replace(".c", "") + String.join("", defines).replace('=', '_') + ".so");
        List<String> cmd = new ArrayList<>(List.of(gcc.toString(), "-shared", "-fPIC", "-O1", "-Wall", "-Werror"));
        for (String d : defines) {
            cmd.add("-D" + d);
        }
        cmd.addAll(List.of("-o", so.toString(), c.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("gcc failed: " + cmd + "\n" + output);
        }
        return so;
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
