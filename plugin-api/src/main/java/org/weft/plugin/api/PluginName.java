package org.weft.plugin.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names a plugin service: a component property type that sets {@value PluginProperties#NAME}.
 * The name is how a plugin is replaced and removed; a plugin registered without one is given
 * {@code ClassName-<uuid>} and is never replaced.
 *
 * <pre>{@code @Component @PluginName("counter") public class Counter implements SchedulerPlugin {…}}</pre>
 *
 * @since 1.0
 */
@ProviderType
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PluginName {
    /** Prefix turning the annotation's name into the property {@code weft.plugin.name}. */
    String PREFIX_ = "weft.";

    /** The plugin's name. */
    String value();
}
