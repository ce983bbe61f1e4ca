package org.weft.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Which of bundle/'s bundles a kind of process leaves out. A mode with its own
 * {@code conf/weft-MODE.bndrun} (a scheduler process, a worker process, a nanny) leaves out the runtime bundles that only
 * other kinds run: those {@code conf/weft.bndrun}'s {@code -runbundles} names and its own does not
 * (by symbolic name; the build resolved both and checked those lists, distribution/pom.xml,
 * "resolve-runtime"). A bundle someone added to bundle/ runs in every kind of process. A mode
 * without a bndrun of its own ({@code local}, {@code demo}) runs every bundle.
 */
final class ModeBundles {

    private ModeBundles() {
    }

    /** @return the symbolic names the mode leaves out; empty when it runs every bundle */
    static Set<String> leftOut(Path conf, String mode) throws IOException {
        if (mode == null || mode.isBlank()) {
            return Set.of();
        }
        Path own = conf.resolve("weft-" + mode.trim() + ".bndrun");
        if (!Files.isRegularFile(own)) {
            return Set.of();
        }
        Set<String> all = read(conf.resolve("weft.bndrun"));
        all.removeAll(read(own));
        return all;
    }

    private static Set<String> read(Path bndrun) throws IOException {
        if (!Files.isRegularFile(bndrun)) {
            throw new IOException("missing " + bndrun + ": the installation is damaged");
        }
        Set<String> names = runBundles(Files.readString(bndrun));
        if (names.isEmpty()) {
            throw new IOException(bndrun + " names no -runbundles: the installation is damaged");
        }
        return names;
    }

    /** The symbolic names in a bndrun's {@code -runbundles} (continued lines joined, version ranges skipped). */
    static Set<String> runBundles(String bndrun) {
        String joined = bndrun.replaceAll("\\\\\\r?\\n", "");
        Set<String> names = new LinkedHashSet<>();
        for (String line : joined.split("\\r?\\n")) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("-runbundles:")) {
                continue;
            }
            boolean quoted = false;
            StringBuilder clause = new StringBuilder();
            for (char c : (trimmed.substring("-runbundles:".length()) + ",").toCharArray()) {
                if (c == '\'' || c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    String name = clause.toString().split(";", 2)[0].trim();
                    if (!name.isEmpty()) {
                        names.add(name);
                    }
                    clause.setLength(0);
                    continue;
                }
                clause.append(c);
            }
        }
        return names;
    }

    /** A jar's {@code Bundle-SymbolicName} without its directives; null for a plain jar. */
    static String symbolicName(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue(new Attributes.Name("Bundle-SymbolicName"));
            return name == null ? null : name.split(";", 2)[0].trim();
        }
    }
}
