import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Build step (distribution/pom.xml, "no-service-loader-weaving"): drops a bundle's optional
 * requirement on the Service Loader Mediator's processor ({@code osgi.extender=osgi.serviceloader.processor})
 * from its manifest, in place. SPI Fly then leaves the bundle's classes alone: it otherwise reads and
 * rewrites every class the bundle loads (ASM with frames computed) looking for
 * {@code ServiceLoader.load} calls, which in Felix HTTP's Jetty cost the scheduler about two
 * seconds of CPU at each start, for lookups that work without it (Jetty falls back to its HTTP/1
 * field encoder). Fails when the requirement is not there, so a new version is looked at again.
 *
 * <p>Run as a single source file: {@code java NoServiceLoaderWeaving.java BUNDLE.jar}.
 */
public final class NoServiceLoaderWeaving {

    static final String PROCESSOR = "osgi.serviceloader.processor";

    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            strip(Path.of(arg));
        }
    }

    static void strip(Path jar) throws IOException {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            manifest = file.getManifest();
        }
        Attributes main = manifest.getMainAttributes();
        String requirements = main.getValue("Require-Capability");
        if (requirements == null || !requirements.contains(PROCESSOR)) {
            if (requirements != null && main.getValue("X-Weft-Note") != null) {
                return; // stripped by an earlier build
            }
            throw new IllegalStateException(jar + " does not require " + PROCESSOR + ": check the build step in distribution/pom.xml");
        }
        List<String> kept = new ArrayList<>();
        for (String clause : clauses(requirements)) {
            if (!(clause.startsWith("osgi.extender;") && clause.contains(PROCESSOR))) {
                kept.add(clause);
            }
        }
        main.putValue("Require-Capability", String.join(",", kept));
        main.putValue("X-Weft-Note", "optional requirement on " + PROCESSOR
                + " removed by the Weft build: SPI Fly does not weave this bundle");
        Path patched = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (JarFile in = new JarFile(jar.toFile(), false);
                OutputStream file = Files.newOutputStream(patched);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            Enumeration<JarEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                    continue;
                }
                JarEntry copy = new JarEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
        Files.move(patched, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("[weft] " + jar.getFileName() + ": SPI Fly will not weave it (" + PROCESSOR + " requirement removed)");
    }

    /** The clauses of a header, split at commas outside quotes. */
    static List<String> clauses(String header) {
        List<String> clauses = new ArrayList<>();
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                clauses.add(clause.toString().trim());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        if (!clause.isEmpty()) {
            clauses.add(clause.toString().trim());
        }
        return clauses;
    }
}
