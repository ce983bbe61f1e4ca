package org.weft.preload;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;

import org.weft.plugin.api.Preload;

/**
 * A preload's options: those it declares with picocli's annotations, set from its arguments
 * before setup. picocli is touched only for a preload that declares options (and so brings it).
 */
final class PreloadOptions {

    private static final String PICOCLI_ANNOTATIONS = "picocli.CommandLine$";

    private PreloadOptions() {
    }

    /** Whether the class (or a superclass) carries picocli annotations: a command, options, parameters, mixins. */
    static boolean declares(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            List<AnnotatedElement> elements = new ArrayList<>();
            elements.add(c);
            elements.addAll(List.of(c.getDeclaredFields()));
            elements.addAll(List.of(c.getDeclaredMethods()));
            for (AnnotatedElement element : elements) {
                for (Annotation annotation : element.getDeclaredAnnotations()) {
                    if (annotation.annotationType().getName().startsWith(PICOCLI_ANNOTATIONS)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Sets the preload's options from {@code argv} (their defaults when it is empty).
     *
     * @throws PreloadException naming the preload: arguments for one that declares none, an
     *         option it does not declare, a bad value
     */
    static void apply(PreloadSpec spec, Preload preload, List<String> argv) throws PreloadException {
        if (!declares(preload.getClass())) {
            if (!argv.isEmpty()) {
                throw PreloadException.of(spec, "takes no options, but was given: " + String.join(" ", argv), null);
            }
            return;
        }
        try {
            PicocliArguments.parse(preload, argv);
        } catch (PicocliArguments.BadArguments e) {
            throw PreloadException.of(spec, "bad options " + argv + ": " + e.getMessage(), null);
        } catch (LinkageError e) {
            throw PreloadException.of(spec, "declares options, but picocli is not available here to read them", e);
        }
    }
}
