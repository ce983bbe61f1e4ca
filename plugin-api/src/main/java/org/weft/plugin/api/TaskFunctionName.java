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
