package org.weft.launcher;

import java.net.URL;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The context class loader the framework's threads inherit. JLine looks its terminal providers
 * (exec, jna, ...) up through the thread context class loader; inside Felix that is the launcher's,
 * which cannot see them, so a real terminal would get JLine's "dumb" terminal (no line editing, no
 * history). This loader answers JLine's lookups, and only those, from the JLine bundle.
 */
final class ConsoleClassLoader extends ClassLoader {

    private static final String JLINE = "org.jline";

    private final BundleContext system;

    ConsoleClassLoader(BundleContext system, ClassLoader parent) {
        super(parent);
        this.system = system;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        ClassLoader jline = name.startsWith(JLINE + ".") ? jline() : null;
        if (jline == null) {
            throw new ClassNotFoundException(name);
        }
        return jline.loadClass(name);
    }

    @Override
    protected URL findResource(String name) {
        ClassLoader jline = name.startsWith("META-INF/services/org/jline/") || name.startsWith("org/jline/") ? jline() : null;
        return jline == null ? null : jline.getResource(name);
    }

    private ClassLoader jline() {
        for (Bundle b : system.getBundles()) {
            if (JLINE.equals(b.getSymbolicName())) {
                BundleWiring wiring = b.adapt(BundleWiring.class);
                return wiring == null ? null : wiring.getClassLoader();
            }
        }
        return null;
    }
}
