package org.weft.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/**
 * Whether an uploaded file is an installable bundle, checked as the console's {@code install} and
 * {@code plugins/} check a jar: a complete zip whose every entry reads back with a good checksum,
 * with a manifest naming the bundle ({@code Bundle-SymbolicName}).
 *
 * @param symbolicName the bundle's name without directives, when {@code problem} is null
 * @param problem why it cannot be installed, or null
 */
record BundleCheck(String symbolicName, String problem) {

    static BundleCheck of(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            byte[] buffer = new byte[8192];
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements();) {
                JarEntry entry = entries.nextElement();
                try (InputStream in = file.getInputStream(entry)) {
                    while (in.read(buffer) >= 0) {
                        // reading each entry to its end checks its CRC
                    }
                } catch (IOException e) {
                    return refused("a damaged or incomplete jar (" + entry.getName() + ": " + e.getMessage() + ")");
                }
            }
            Manifest manifest = file.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (name == null || name.isBlank()) {
                return refused("not an OSGi bundle: no Bundle-SymbolicName in its manifest (a plugin is built as a"
                        + " bundle, e.g. with bnd)");
            }
            return new BundleCheck(name.split(";")[0].trim(), null);
        } catch (ZipException e) {
            return refused("not a jar (" + e.getMessage() + ")");
        } catch (IOException | SecurityException e) {
            return refused("cannot be read as a jar: " + e);
        }
    }

    private static BundleCheck refused(String why) {
        return new BundleCheck(null, why);
    }
}
