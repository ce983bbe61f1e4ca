package org.weft.plugins.resourcemonitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code chromium}, headless, with nothing that reaches out on its own (updates, first-run pages). */
final class HeadlessChromium {

    private final Path binary;
    private final Path profile;

    private HeadlessChromium(Path binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    /** The browser on the PATH, or {@code null} if there is none. */
    static HeadlessChromium find(Path profileDir) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return new HeadlessChromium(p, profileDir);
                }
            }
        }
        return null;
    }

    /** The DOM after the page loaded. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars");
    }

    private String run(Path page, String... action) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(List.of(action));
        cmd.add(page.toUri().toString());
        Path out = Files.createTempFile(profile, "stdout", ".txt");
        Path err = Files.createTempFile(profile, "stderr", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium did not finish in 90 s: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IOException("chromium exited with " + p.exitValue() + ": " + Files.readString(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
