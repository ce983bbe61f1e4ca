package org.weft.preload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.weft.plugin.api.Preload;

/**
 * Finds preloads in an OSGi framework: a jar is installed as a bundle (or updated, if a jar of
 * that path was installed before) and started transiently, so it does not start again by itself
 * at the next start; a class is looked up in the installed bundles that contain it.
 */
public final class BundlePreloadLoader implements PreloadLoader {

    /** Location prefix of the bundles installed from preload jars. */
    static final String LOCATION_PREFIX = "weft-preload:";

    private final BundleContext context;

    public BundlePreloadLoader(BundleContext context) {
        this.context = context;
    }

    @Override
    public Preload fromJar(PreloadSpec spec, Path jar) throws PreloadException {
        Bundle bundle;
        try {
            bundle = installOrUpdate(LOCATION_PREFIX + jar.toUri(), jar);
            if (bundle.getHeaders().get("Bundle-SymbolicName") == null) {
                throw PreloadException.of(spec, "not an OSGi bundle (its manifest has no Bundle-SymbolicName)", null);
            }
            // the framework may not have reached the default start level of new bundles yet
            int level = context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel();
            bundle.adapt(BundleStartLevel.class).setStartLevel(Math.max(1, level));
            bundle.start(Bundle.START_TRANSIENT);
        } catch (BundleException | IOException e) {
            throw PreloadException.of(spec, "cannot install and start it as a bundle", e);
        }
        String name = PreloadLoader.headerClass(spec, bundle.getHeaders().get(Preload.MANIFEST_HEADER));
        try {
            return PreloadLoader.instantiate(spec, bundle.loadClass(name));
        } catch (ClassNotFoundException e) {
            throw PreloadException.of(spec, "its " + Preload.MANIFEST_HEADER + " class " + name + " is not in the bundle", null);
        }
    }

    private Bundle installOrUpdate(String location, Path jar) throws BundleException, IOException {
        Bundle installed = context.getBundle(location);
        try (InputStream in = Files.newInputStream(jar)) {
            if (installed != null) {
                installed.update(in);
                return installed;
            }
            return context.installBundle(location, in);
        }
    }

    @Override
    public Class<?> findClass(PreloadSpec spec) throws PreloadException {
        String entry = spec.text().replace('.', '/') + ".class";
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getBundleId() == 0 || bundle.getEntry(entry) == null) {
                continue;
            }
            try {
                return bundle.loadClass(spec.text());
            } catch (ClassNotFoundException | IllegalStateException e) {
                throw PreloadException.of(spec, "bundle " + bundle.getSymbolicName() + " holds the class but cannot load it"
                        + " (is it resolved?)", e);
            }
        }
        throw PreloadException.of(spec, "no installed bundle holds class " + spec.text()
                + " (install its bundle in plugins/, or give the jar's path)", null);
    }
}
