package org.weft.preload;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

import org.weft.plugin.api.Preload;

/**
 * Finds preloads in a plain JVM (a client): a class on {@code parent}'s class path, or a jar put on
 * a class loader of its own (with {@code parent} above it), closed by {@link #close()}.
 */
public final class ClassPathPreloadLoader implements PreloadLoader, AutoCloseable {

    private final ClassLoader parent;
    private final List<URLClassLoader> jars = new ArrayList<>();

    public ClassPathPreloadLoader(ClassLoader parent) {
        this.parent = parent;
    }

    @Override
    public Preload fromJar(PreloadSpec spec, Path jar) throws PreloadException {
        String name;
        try (JarFile file = new JarFile(jar.toFile())) {
            java.util.jar.Manifest manifest = file.getManifest();
            name = PreloadLoader.headerClass(spec, manifest == null ? null : manifest.getMainAttributes().getValue(Preload.MANIFEST_HEADER));
        } catch (IOException e) {
            throw PreloadException.of(spec, "cannot read the jar", e);
        }
        URLClassLoader loader;
        try {
            loader = new URLClassLoader("preload " + jar.getFileName(), new URL[] {jar.toUri().toURL()}, parent);
        } catch (MalformedURLException e) {
            throw PreloadException.of(spec, "cannot read the jar", e);
        }
        jars.add(loader);
        return PreloadLoader.instantiate(spec, loadClass(spec, loader, name));
    }

    @Override
    public Class<?> findClass(PreloadSpec spec) throws PreloadException {
        return loadClass(spec, parent, spec.text());
    }

    private static Class<?> loadClass(PreloadSpec spec, ClassLoader loader, String name) throws PreloadException {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw PreloadException.of(spec, "class " + name + " not found on the class path", null);
        } catch (LinkageError e) {
            throw PreloadException.of(spec, "cannot load class " + name, e);
        }
    }

    /** Closes the class loaders of the jars (after the preloads' teardown). */
    @Override
    public void close() {
        for (URLClassLoader loader : jars) {
            try {
                loader.close();
            } catch (IOException e) {
                // nothing is lost: the JVM frees what remains
            }
        }
        jars.clear();
    }
}
