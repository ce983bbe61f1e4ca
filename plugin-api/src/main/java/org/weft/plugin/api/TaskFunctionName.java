package org.weft.plugin.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names a {@link TaskFunction} service ({@value PluginProperties#FUNCTION_NAME}); graphs refer to
 * functions by this name.
 *
 * <p>On a DS {@code @Component} it becomes the service property. On a class of a plain jar (no
 * OSGi headers, no {@code @Component}) uploaded to a cluster with {@code Client.uploadJar} or
 * {@code bin/weft upload}, it marks the class as a task function: the scheduler wraps the jar into
 * a bundle and registers each such class, which must be public, implement {@link TaskFunction}
 * and have a public constructor without arguments, as a {@code TaskFunction} service under this
 * name on every worker.
 *
 * @since 1.0
 */
@ProviderType
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface TaskFunctionName {
    /** Prefix turning the annotation's name into the property {@code weft.task.function.name}. */
    String PREFIX_ = "weft.";

    /** The function's name. */
    String value();
}
