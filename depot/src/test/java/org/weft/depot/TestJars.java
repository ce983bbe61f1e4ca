package org.weft.depot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds jars in memory for the tests: a manifest (or none) and entries. */
public final class TestJars {

    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private boolean manifest = true;

    public static TestJars bundle(String symbolicName, String version) {
        return new TestJars().header("Bundle-ManifestVersion", "2").header("Bundle-SymbolicName", symbolicName)
                .header("Bundle-Version", version);
    }

    public static TestJars plain() {
        return new TestJars();
    }

    public TestJars header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public TestJars noManifest() {
        manifest = false;
        return this;
    }

    public TestJars entry(String path, String text) {
        entries.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public TestJars entry(String path, byte[] bytes) {
        entries.put(path, bytes);
        return this;
    }

    /** The class file of {@code type} from the test class path, under its own path. */
    public TestJars classOf(Class<?> type) {
        String path = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
            return entry(path, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A DS component description providing {@code service}, with a task-function name if given. */
    public static String component(String name, String implementation, String service, String functionName) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\">\n"
                + "  <implementation class=\"" + implementation + "\"/>\n"
                + "  <service><provide interface=\"" + service + "\"/></service>\n"
                + (functionName == null ? "" : "  <property name=\"weft.task.function.name\" value=\"" + functionName + "\"/>\n")
                + "</scr:component>\n";
    }

    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            JarOutputStream jar;
            if (manifest) {
                Manifest m = new Manifest();
                m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
                headers.forEach((k, v) -> m.getMainAttributes().putValue(k, v));
                jar = new JarOutputStream(out, m);
            } else {
                jar = new JarOutputStream(out);
            }
            try (jar) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    jar.putNextEntry(new JarEntry(e.getKey()));
                    jar.write(e.getValue());
                    jar.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
