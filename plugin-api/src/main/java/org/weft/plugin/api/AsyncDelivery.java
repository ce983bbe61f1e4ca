package org.weft.plugin.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Asks for asynchronous delivery: the host hands this plugin immutable event records through a
 * bounded queue on a thread of its own, so slow I/O in a hook never holds up the scheduler.
 * Sets {@value PluginProperties#ASYNC_QUEUE_CAPACITY} and {@value PluginProperties#ASYNC_OVERFLOW}.
 *
 * <p>Lifecycle calls ({@code start}, {@code close}, {@code setup},
 * {@code teardown}) stay on the loop thread. Events keep their order. When the queue is full the
 * declared {@link Overflow} policy applies; dropped events are counted and shown, never silent.
 *
 * @since 1.0
 */
@ProviderType
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AsyncDelivery {
    /** Prefix turning element names into {@code weft.async.queueCapacity} and {@code weft.async.overflow}. */
    String PREFIX_ = "weft.async.";

    /** How many events may wait for the plugin's thread. */
    int queueCapacity() default Delivery.DEFAULT_QUEUE_CAPACITY;

    /** What happens when the queue is full. */
    Overflow overflow() default Overflow.BLOCK;
}
