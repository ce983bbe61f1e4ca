package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin whose class cannot load (it needs a class its jar lacks, as with an optional import
 * that is absent) does not vanish: Declarative Services' error reaches the console and weft.log,
 * and weft:plugins lists the plugin FAILED with the cause.
 */
class BrokenPluginIT {

    @TempDir
    Path dir;

    @Test
    void aPluginWhoseClassCannotLoadIsListedFailedWithTheCause() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        Path jar = brokenPlugin(weft.home(), dir.resolve("build"));
        Files.copy(jar, weft.home().resolve("plugins/broken.jar"));

        WeftInstall.Finished result = weft.run("weft:plugins\n", "local");
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(Pattern.compile("(?m)^broken\\s+scheduler\\s+scheduler\\s+org\\.example\\.broken\\s+1\\.0\\.0\\s+FAILED\\s.*"
                + "NoClassDefFoundError: org/example/gone/Gone").matcher(result.stdout()).find(), result.all());
        assertTrue(result.stderr().contains("NoClassDefFoundError"), "on the console: " + result.all());
        String log = WeftInstall.read(weft.home().resolve("data/log/weft.log"));
        assertTrue(log.contains("java.lang.NoClassDefFoundError: org/example/gone/Gone"), log);
    }

    /**
     * A bundle with one Declarative Services component, a scheduler plugin whose class extends
     * {@code org.example.gone.Gone}: compiled here against the shipped plugin API, and packed
     * without the class it extends.
     */
    static Path brokenPlugin(Path home, Path build) throws Exception {
        Path src = Files.createDirectories(build.resolve("src"));
        Path classes = Files.createDirectories(build.resolve("classes"));
        Path gone = Files.writeString(src.resolve("Gone.java"), "package org.example.gone; public class Gone {}");
        Path broken = Files.writeString(src.resolve("Broken.java"), "package org.example.broken;"
                + " public class Broken extends org.example.gone.Gone implements org.weft.plugin.api.SchedulerPlugin {}");
        Path api;
        try (Stream<Path> jars = Files.list(home.resolve("bundle/4"))) {
            api = jars.filter(p -> p.getFileName().toString().startsWith("weft-plugin-api")).findFirst().orElseThrow();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", api.toString(), "--release", "17",
                gone.toString(), broken.toString());
        assertEquals(0, status, "javac");

        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "org.example.broken");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Import-Package", "org.weft.plugin.api,org.example.gone;resolution:=optional");
        main.putValue("Service-Component", "OSGI-INF/broken.xml");
        String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"org.example.broken.Broken\">"
                + "<implementation class=\"org.example.broken.Broken\"/>"
                + "<service><provide interface=\"org.weft.plugin.api.SchedulerPlugin\"/></service>"
                + "<property name=\"weft.plugin.name\" value=\"broken\"/>"
                + "</scr:component>";
        Path jar = build.resolve("broken.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest)) {
            for (String entry : List.of("org/example/broken/Broken.class")) {
                zip.putNextEntry(new JarEntry(entry));
                zip.write(Files.readAllBytes(classes.resolve(entry)));
                zip.closeEntry();
            }
            zip.putNextEntry(new JarEntry("OSGI-INF/broken.xml"));
            zip.write(component.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }
}
