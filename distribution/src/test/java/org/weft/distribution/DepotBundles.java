package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Jars for the depot's tests, compiled here against the shipped plugin API. */
final class DepotBundles {

    private DepotBundles() {
    }

    /**
     * A worker plugin bundle {@code org.example.recorder} (prototype scope, plugin name
     * {@code recorder}): each instance appends {@code LABEL setup}, {@code LABEL teardown} and
     * {@code LABEL memory KEY} (every task that reaches memory on its worker) to
     * {@code dir/<process id>.log}.
     */
    static Path recorder(Path home, Path build, String label, String version, Path dir) throws Exception {
        Path classes = compile(home, build.resolve("recorder-classes"), "org.example.recorder.Recorder", """
                package org.example.recorder;
                import java.io.IOException;
                import java.io.UncheckedIOException;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                import java.util.Map;
                import org.weft.plugin.api.WorkerPlugin;
                import org.weft.plugin.api.WorkerTaskState;
                import org.weft.plugin.api.WorkerTransitionEvent;
                import org.weft.plugin.api.WorkerView;
                public class Recorder implements WorkerPlugin {
                    private String label;
                    private Path file;
                    public void activate(Map<String, Object> properties) {
                        label = (String) properties.get("recorder.label");
                        file = Path.of((String) properties.get("recorder.dir")).resolve(ProcessHandle.current().pid() + ".log");
                    }
                    private synchronized void write(String line) {
                        try {
                            Files.writeString(file, label + " " + line + "\\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    @Override public void setup(WorkerView worker) { write("setup"); }
                    @Override public void teardown(WorkerView worker) { write("teardown"); }
                    @Override public void transition(WorkerTransitionEvent e) {
                        if (e.finish() == WorkerTaskState.MEMORY) { write("memory " + e.key()); }
                    }
                }
                """);
        String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"org.example.recorder.Recorder\""
                + " activate=\"activate\">"
                + "<implementation class=\"org.example.recorder.Recorder\"/>"
                + "<service scope=\"prototype\"><provide interface=\"org.weft.plugin.api.WorkerPlugin\"/></service>"
                + "<property name=\"weft.plugin.name\" value=\"recorder\"/>"
                + "<property name=\"recorder.label\" value=\"" + label + "\"/>"
                + "<property name=\"recorder.dir\" value=\"" + dir.toAbsolutePath() + "\"/>"
                + "</scr:component>";
        return jar(build.resolve("recorder-" + label + ".jar"), Map.of("Bundle-SymbolicName", "org.example.recorder",
                "Bundle-Version", version, "Import-Package", "org.weft.plugin.api", "Service-Component",
                "OSGI-INF/recorder.xml"), classes, Map.of("OSGI-INF/recorder.xml", component));
    }

    /**
     * A nanny plugin bundle {@code org.example.nanny.NAME} (plugin name {@code NAME}, marked
     * {@code restart} if asked): it appends {@code NAME setup starts=N} (N: the worker processes its
     * nanny had started by then) and {@code NAME teardown} to {@code dir/<nanny process id>.log}.
     */
    static Path nannyRecorder(Path home, Path build, String name, boolean restart, Path dir) throws Exception {
        String pkg = "org.example.nanny." + name;
        Path classes = compile(home, build.resolve("nanny-" + name + "-classes"), pkg + ".NannyRecorder", """
                package PKG;
                import java.io.IOException;
                import java.io.UncheckedIOException;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                import java.util.Map;
                import org.weft.plugin.api.NannyPlugin;
                import org.weft.plugin.api.NannyView;
                public class NannyRecorder implements NannyPlugin {
                    private String name;
                    private boolean restart;
                    private Path file;
                    public void activate(Map<String, Object> properties) {
                        name = (String) properties.get("weft.plugin.name");
                        restart = Boolean.parseBoolean((String) properties.get("recorder.restart"));
                        file = Path.of((String) properties.get("recorder.dir")).resolve(ProcessHandle.current().pid() + ".log");
                    }
                    private synchronized void write(String line) {
                        try {
                            Files.writeString(file, name + " " + line + "\\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    @Override public void setup(NannyView nanny) { write("setup starts=" + nanny.workerStarts()); }
                    @Override public void teardown(NannyView nanny) { write("teardown"); }
                    @Override public boolean restart() { return restart; }
                }
                """.replace("PKG", pkg));
        String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + pkg + "\" activate=\"activate\">"
                + "<implementation class=\"" + pkg + ".NannyRecorder\"/>"
                + "<service><provide interface=\"org.weft.plugin.api.NannyPlugin\"/></service>"
                + "<property name=\"weft.plugin.name\" value=\"" + name + "\"/>"
                + "<property name=\"recorder.restart\" value=\"" + restart + "\"/>"
                + "<property name=\"recorder.dir\" value=\"" + dir.toAbsolutePath() + "\"/>"
                + "</scr:component>";
        return jar(build.resolve("nanny-" + name + ".jar"), Map.of("Bundle-SymbolicName", pkg, "Bundle-Version", "1.0.0",
                "Import-Package", "org.weft.plugin.api", "Service-Component", "OSGI-INF/nanny.xml"), classes,
                Map.of("OSGI-INF/nanny.xml", component));
    }

    /** A plain jar (no OSGi headers) with a class annotated {@code @TaskFunctionName("square")}. */
    static Path plainSquares(Path home, Path build) throws Exception {
        Path classes = compile(home, build.resolve("squares-classes"), "org.example.squares.Square", """
                package org.example.squares;
                import java.util.List;
                import org.weft.plugin.api.TaskContext;
                import org.weft.plugin.api.TaskFunction;
                import org.weft.plugin.api.TaskFunctionName;
                @TaskFunctionName("square")
                public class Square implements TaskFunction {
                    @Override public Object apply(List<Object> args, TaskContext context) {
                        long x = ((Number) args.get(0)).longValue();
                        return x * x;
                    }
                }
                """);
        return jar(build.resolve("squares-1.0.jar"), Map.of(), classes, Map.of());
    }

    /** A bundle with a task function that needs a package no worker has. */
    static Path needsNowhere(Path build) throws Exception {
        String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"nowhere\">"
                + "<implementation class=\"org.nowhere.Fn\"/>"
                + "<service><provide interface=\"org.weft.plugin.api.TaskFunction\"/></service>"
                + "<property name=\"weft.task.function.name\" value=\"nowhere\"/>"
                + "</scr:component>";
        return jar(build.resolve("needs-nowhere.jar"), Map.of("Bundle-SymbolicName", "org.example.nowhere",
                "Bundle-Version", "1.0.0", "Import-Package", "org.weft.plugin.api,org.nowhere.at.all",
                "Service-Component", "OSGI-INF/nowhere.xml"), null, Map.of("OSGI-INF/nowhere.xml", component));
    }

    private static Path compile(Path home, Path classes, String type, String source) throws Exception {
        Path src = Files.createDirectories(classes.resolveSibling(classes.getFileName() + "-src"));
        Path file = src.resolve(type.substring(type.lastIndexOf('.') + 1) + ".java");
        Files.writeString(file, source);
        Path api;
        try (Stream<Path> jars = Files.list(home.resolve("bundle/4"))) {
            api = jars.filter(p -> p.getFileName().toString().startsWith("weft-plugin-api")).findFirst().orElseThrow();
        }
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), "-cp", api.toString(), "--release", "17",
                file.toString()), "javac " + type);
        return classes;
    }

    private static Path jar(Path jar, Map<String, String> headers, Path classes, Map<String, String> texts)
            throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (!headers.isEmpty()) {
            main.putValue("Bundle-ManifestVersion", "2");
        }
        headers.forEach(main::putValue);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream zip = new JarOutputStream(out, manifest)) {
            if (classes != null) {
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        zip.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                        zip.write(Files.readAllBytes(f));
                        zip.closeEntry();
                    }
                }
            }
            for (Map.Entry<String, String> e : texts.entrySet()) {
                zip.putNextEntry(new JarEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
