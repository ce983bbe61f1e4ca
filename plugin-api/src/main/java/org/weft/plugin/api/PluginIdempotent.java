package org.weft.plugin.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Marks a plugin idempotent ({@value PluginProperties#IDEMPOTENT}{@code =true}): if a plugin of the
 * same name is already running, this one is ignored instead of replacing it.
 *
 * @since 1.0
 */
@ProviderType
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PluginIdempotent {
    /** Prefix turning the annotation's name into the property {@code weft.plugin.idempotent}. */
    String PREFIX_ = "weft.";
}
