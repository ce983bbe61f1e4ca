package org.weft.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/**
 * Tells whether a file is a complete OSGi bundle before it is installed: a zip whose central
 * directory is there (a file still being copied has none yet), whose every entry reads back with
 * a good checksum, with a manifest that names the bundle ({@code Bundle-SymbolicName}). A plain jar
 * would be installed by the framework as a nameless bundle that does nothing; a truncated one
 * would replace a running plugin with a broken one.
 */
final class PluginJar {

    private PluginJar() {
    }

    /**
     * @param jar a copy that nothing writes to any more
     * @return why it is not an installable bundle, or null when it is one
     */
    static String problem(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            byte[] buffer = new byte[8192];
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements();) {
                JarEntry entry = entries.nextElement();
                try (InputStream in = file.getInputStream(entry)) {
                    while (in.read(buffer) >= 0) {
                        // reading to the end checks the entry's CRC
                    }
                } catch (IOException e) {
                    return "a damaged or incomplete jar (" + entry.getName() + ": " + e.getMessage() + ")";
                }
            }
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return "not an OSGi bundle: the jar has no META-INF/MANIFEST.MF";
            }
            String name = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (name == null || name.isBlank()) {
                return "not an OSGi bundle: its manifest has no Bundle-SymbolicName (a plain jar; a plugin is"
                        + " built as a bundle, e.g. with bnd)";
            }
            return null;
        } catch (ZipException e) {
            return "not a complete jar (" + e.getMessage() + "): still being copied, or not a jar at all";
        } catch (IOException | SecurityException e) {
            return "cannot be read as a jar: " + e;
        }
    }

    /** The {@code Bundle-SymbolicName} without its directives, or null. */
    static String symbolicName(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            return name == null ? null : name.split(";")[0].trim();
        } catch (IOException e) {
            return null;
        }
    }
}
