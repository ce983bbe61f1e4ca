package org.weft.preload;

import java.nio.file.Files;
import java.nio.file.Path;

import org.weft.plugin.api.Preload;

/**
 * Finds a preload and makes its instance: a snippet the same way everywhere, a jar or a class
 * the way the host finds code ({@link BundlePreloadLoader} in OSGi, {@link ClassPathPreloadLoader}
 * in a plain JVM).
 */
public interface PreloadLoader {

    /**
     * @throws PreloadException naming the preload when it cannot be found or made
     */
    default Preload load(PreloadSpec spec) throws PreloadException {
        return switch (spec.kind()) {
            case SNIPPET -> new SnippetPreload(spec);
            case CLASS -> instantiate(spec, findClass(spec));
            case JAR -> {
                Path jar = Path.of(spec.text()).toAbsolutePath().normalize();
                if (!Files.isRegularFile(jar)) {
                    throw PreloadException.of(spec, "no such file " + jar, null);
                }
                yield fromJar(spec, jar);
            }
        };
    }

    /** The class a preload given by class name names. */
    Class<?> findClass(PreloadSpec spec) throws PreloadException;

    /** The preload in this jar, which exists. */
    Preload fromJar(PreloadSpec spec, Path jar) throws PreloadException;

    /** A new instance of a class that implements {@link Preload}, through its public no-argument constructor. */
    static Preload instantiate(PreloadSpec spec, Class<?> type) throws PreloadException {
        if (!Preload.class.isAssignableFrom(type)) {
            throw PreloadException.of(spec, type.getName() + " does not implement " + Preload.class.getName(), null);
        }
        try {
            return (Preload) type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw PreloadException.of(spec, type.getName() + " has no public constructor without arguments", null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw PreloadException.of(spec, "cannot create " + type.getName(), e);
        }
    }

    /** The class a preload jar names in its {@value Preload#MANIFEST_HEADER} header. */
    static String headerClass(PreloadSpec spec, String header) throws PreloadException {
        if (header == null || header.isBlank()) {
            throw PreloadException.of(spec, "the jar's manifest has no " + Preload.MANIFEST_HEADER
                    + " header naming its Preload class", null);
        }
        return header.strip();
    }
}
