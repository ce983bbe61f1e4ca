package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A structured event logged on the scheduler ({@code log_event} in Dask). A message logged under
 * several topics is delivered once per topic.
 *
 * @param topic the topic
 * @param message the message: a JSON-able value (string, number, boolean, list, map)
 * @param timestampMillis when it was logged, epoch milliseconds
 * @since 1.0
 */
@ProviderType
public record LogEvent(String topic, Object message, long timestampMillis) {
}
