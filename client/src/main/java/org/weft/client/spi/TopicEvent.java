package org.weft.client.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An event logged on the scheduler under a topic ({@code log_event} in Dask), as a client reads it
 * ({@link org.weft.client.Client#events}) or receives it from a subscription
 * ({@link org.weft.client.Client#subscribeTopic}).
 *
 * @param topic the topic
 * @param message the message: a JSON-able value (null, string, number, boolean, list, map)
 * @param timestampMillis when the scheduler logged it, epoch milliseconds
 * @since 1.1
 */
@ProviderType
public record TopicEvent(String topic, Object message, long timestampMillis) {
}
