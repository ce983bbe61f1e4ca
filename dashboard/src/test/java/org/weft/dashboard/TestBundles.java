package org.weft.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

/** Real things for the tests: an Apache Felix framework in a temporary folder, and small bundle jars. */
final class TestBundles {

    private TestBundles() {
    }

    static Framework framework(Path storage) throws BundleException {
        Framework framework = new org.apache.felix.framework.FrameworkFactory().newFramework(Map.of(
                "org.osgi.framework.storage", storage.toString(),
                "org.osgi.framework.storage.clean", "onFirstInit"));
        framework.start();
        return framework;
    }

    /** The bundle of that symbolic name, or null. */
    static org.osgi.framework.Bundle named(Framework framework, String name) {
        for (org.osgi.framework.Bundle b : framework.getBundleContext().getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /** A bundle with one resource and nothing to run: name and version as given. */
    static Path bundle(Path dir, String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        return jar(dir.resolve(symbolicName + "-" + version + ".jar"), manifest);
    }

    /** A jar that is not a bundle (no Bundle-SymbolicName). */
    static Path plainJar(Path dir) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        return jar(dir.resolve("plain.jar"), manifest);
    }

    private static Path jar(Path file, Manifest manifest) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry("readme.txt"));
            jar.write("a test bundle\n".repeat(50).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return file;
    }
}
