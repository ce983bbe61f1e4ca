package org.weft.plugins.rabbitmq;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@value #PID} ({@code etc/org.weft.plugins.rabbitmq.cfg}), applied live: a
 * change reconnects with the new settings; nothing already taken is lost.
 */
@ObjectClassDefinition(name = "Weft RabbitMQ publisher",
        description = "Publishes every task transition as JSON to RabbitMQ, with publisher confirms")
public @interface RabbitMqConfig {

    String PID = "org.weft.plugins.rabbitmq";

    @AttributeDefinition(description = "Publish (true) or stay idle (false, the default until configured)")
    boolean enabled() default false;

    @AttributeDefinition(description = "Broker URI: amqp://host[:port][/vhost] or amqps:// for TLS")
    String uri() default "amqp://localhost:5672/%2F";

    @AttributeDefinition(required = false, description = "User name; empty: the URI's, else guest")
    String username() default "";

    @AttributeDefinition(required = false, type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD,
            description = "Password; empty: the URI's, else guest")
    String password() default "";

    @AttributeDefinition(required = false,
            description = "A properties file with username= and password= (wins over the two keys above)")
    String credentialsFile() default "";

    @AttributeDefinition(required = false, description = "Verify the broker's certificate and host name (amqps)")
    boolean tls_verify() default true;

    @AttributeDefinition(required = false, description = "Exchange to publish to; empty: the default exchange")
    String exchange() default "";

    @AttributeDefinition(description = "Routing key (with the default exchange: the queue's name)")
    String routingKey() default "dask_task_status";

    @AttributeDefinition(required = false,
            description = "Durable queue declared on connect (and bound to the exchange, if one is set); empty: none")
    String queue() default "dask_task_status";

    @AttributeDefinition(description = "Transitions to publish: all, or start->finish pairs, e.g. processing->memory, "
            + "processing->erred")
    String transitions() default "all";

    @AttributeDefinition(required = false,
            description = "The scheduler's id in every message; empty: generated, kept across plugin updates")
    String schedulerId() default "";

    @AttributeDefinition(description = "Published messages awaiting the broker's confirm, at most")
    int confirmWindow() default 1000;

    @AttributeDefinition(description = "Messages kept in memory while they wait to be published")
    int buffer_memoryMessages() default 100_000;

    @AttributeDefinition(description = "Bytes on disk for messages beyond memory (0: none); the oldest are "
            + "dropped, and counted, beyond it")
    long buffer_diskBytes() default 1L << 30;

    @AttributeDefinition(required = false,
            description = "Folder for the disk buffer; empty: the plugin's folder under data/")
    String buffer_directory() default "";

    @AttributeDefinition(description = "First wait before reconnecting (ms); doubles up to reconnect.maxMillis")
    long reconnect_initialMillis() default 200;

    @AttributeDefinition(description = "Longest wait between reconnect attempts (ms)")
    long reconnect_maxMillis() default 15_000;

    @AttributeDefinition(description = "On removal or update, how long to wait for outstanding confirms (ms) before "
            + "keeping the rest on disk for the next start")
    long closeTimeoutMillis() default 5_000;
}
