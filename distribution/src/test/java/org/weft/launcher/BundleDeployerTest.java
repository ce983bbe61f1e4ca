package org.weft.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.launch.Framework;

/**
 * A bundle cache kept between starts (a worker process's pool slot, a scheduler's data/cache) must
 * never serve an older jar than bundle/ holds, and a worker's must start with bundle/'s bundles only.
 */
class BundleDeployerTest {

    @TempDir
    Path dir;

    @Test
    void aJarReplacedByOneOfTheSameSizeAndTimeIsUpdated() throws Exception {
        Path jar = dir.resolve("bundle/5/example.jar");
        FileTime fixed = FileTime.fromMillis(1_700_000_000_000L); // a reproducible build's time, kept by tar
        writeBundle(jar, "1.0.1", fixed);
        assertEquals(List.of("example 1.0.1"), startOnce(false, context -> { }));

        long size = Files.size(jar);
        Files.delete(jar); // as unpacking a new release over the old one does
        writeBundle(jar, "1.0.2", fixed);
        assertEquals(size, Files.size(jar), "the test needs a jar of the same size");
        assertEquals(fixed, Files.getLastModifiedTime(jar));
        assertEquals(List.of("example 1.0.2"), startOnce(false, context -> { }));
    }

    @Test
    void onlyRuntimeBundlesDropsWhatElseTheCacheHolds() throws Exception {
        writeBundle(dir.resolve("bundle/5/example.jar"), "1.0.1", FileTime.fromMillis(1_700_000_000_000L));
        Path other = dir.resolve("other.jar");
        writeBundle(other, "3.0.0", FileTime.fromMillis(1_700_000_000_000L));
        byte[] depot = Files.readAllBytes(other);
        // as a scheduler's depot installs a task-function bundle into a worker
        List<String> first = startOnce(false, context -> install(context, "weft-depot:example", depot));
        assertTrue(first.contains("example 3.0.0"), first.toString());
        // a scheduler keeps bundles installed from the shell
        assertTrue(startOnce(false, context -> { }).contains("example 3.0.0"));
        // a worker process starts as from a fresh cache
        assertEquals(List.of("example 1.0.1"), startOnce(true, context -> { }));
    }

    private static void install(org.osgi.framework.BundleContext context, String location, byte[] jar) {
        try {
            context.installBundle(location, new ByteArrayInputStream(jar));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** One start on the cache in {@code dir}: deploy bundle/, then {@code after}; the bundles but the system bundle. */
    private List<String> startOnce(boolean onlyRuntime, Consumer<org.osgi.framework.BundleContext> after) throws Exception {
        Framework framework = new FrameworkFactory().newFramework(Map.of(
                "org.osgi.framework.storage", dir.resolve("cache").toString()));
        framework.init();
        try {
            new BundleDeployer(framework.getBundleContext(), dir.resolve("bundle"), dir.resolve("stamps.properties"),
                    new StartupProblems(), Set.of(), Set.of(), onlyRuntime).deploy();
            after.accept(framework.getBundleContext());
            return Arrays.stream(framework.getBundleContext().getBundles()).filter(b -> b.getBundleId() != 0)
                    .map(b -> b.getSymbolicName() + " " + b.getVersion()).sorted().toList();
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /** A bundle of nothing but a manifest, stored (not compressed), with fixed entry times: versions of one length give jars of one size. */
    private static void writeBundle(Path jar, String version, FileTime time) throws IOException {
        Files.createDirectories(jar.getParent());
        byte[] manifest = ("Manifest-Version: 1.0\r\nBundle-ManifestVersion: 2\r\nBundle-SymbolicName: example\r\n"
                + "Bundle-Version: " + version + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            JarEntry entry = new JarEntry("META-INF/MANIFEST.MF");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(manifest.length);
            CRC32 crc = new CRC32();
            crc.update(manifest);
            entry.setCrc(crc.getValue());
            entry.setTime(time.toMillis());
            out.putNextEntry(entry);
            out.write(manifest);
            out.closeEntry();
        }
        Files.setLastModifiedTime(jar, time);
    }
}
