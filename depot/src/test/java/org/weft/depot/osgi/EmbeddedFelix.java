package org.weft.depot.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.weft.depot.TestJars;
import org.weft.plugin.api.TaskFunction;

/**
 * A real Felix framework for a test, with Declarative Services (Felix SCR and what it needs) and a
 * plugin-API bundle made from the plugin API's classes on the test class path.
 */
final class EmbeddedFelix implements AutoCloseable {

    final Framework framework;

    EmbeddedFelix(Path storage) throws BundleException {
        this(storage, Map.of());
    }

    /** @param properties more framework properties (e.g. {@code weft.mode}) */
    EmbeddedFelix(Path storage, Map<String, String> properties) throws BundleException {
        Map<String, Object> config = new HashMap<>(properties);
        config.put("org.osgi.framework.storage", storage.toString());
        config.put("org.osgi.framework.storage.clean", "onFirstInit");
        framework = new Felix(config);
        framework.start();
        for (String resource : new String[] {"org/osgi/util/function/Function.class", "org/osgi/util/promise/Promise.class",
            "org/osgi/service/component/ComponentContext.class", "org/apache/felix/scr/impl/Activator.class"}) {
            install(jarOf(resource)).start();
        }
        context().installBundle("plugin-api", new java.io.ByteArrayInputStream(pluginApi())).start();
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    private Bundle install(Path jar) throws BundleException {
        return context().installBundle(jar.toUri().toString());
    }

    private static Path jarOf(String resource) {
        URL url = EmbeddedFelix.class.getClassLoader().getResource(resource);
        try {
            return Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("cannot find the jar of " + resource + " (" + url + ")", e);
        }
    }

    /** The plugin API's classes as a bundle exporting org.weft.plugin.api, whether they come from a jar or a folder. */
    private static byte[] pluginApi() {
        TestJars jar = TestJars.bundle("org.weft.plugin.api", "1.3.0").header("Export-Package",
                "org.weft.plugin.api;version=\"1.3.0\"");
        try {
            URL location = TaskFunction.class.getProtectionDomain().getCodeSource().getLocation();
            Path path = Path.of(location.toURI());
            if (Files.isDirectory(path)) {
                Path dir = path.resolve("org/weft/plugin/api");
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                        jar.entry("org/weft/plugin/api/" + f.getFileName(), Files.readAllBytes(f));
                    }
                }
            } else {
                try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(path.toFile())) {
                    for (var e : java.util.Collections.list(zip.entries())) {
                        if (e.getName().startsWith("org/weft/plugin/api/") && e.getName().endsWith(".class")) {
                            try (InputStream in = zip.getInputStream(e)) {
                                jar.entry(e.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return jar.build();
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
