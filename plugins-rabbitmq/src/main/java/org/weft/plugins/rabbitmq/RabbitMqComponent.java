package org.weft.plugins.rabbitmq;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.PluginProperties;
import org.weft.plugin.api.SchedulerPlugin;

/**
 * The bundle's one component: reads {@code etc/org.weft.plugins.rabbitmq.cfg} (live), runs the
 * {@link TransitionPublisher} while {@code enabled = true} and the configuration is good, registers
 * the scheduler plugin {@value TransitionPlugin#NAME} for it, and is the Gogo command
 * {@code rabbitmq:status}. A bad configuration is logged and shown; the plugin keeps running with
 * the last good one, if any. The scheduler never waits for any of this.
 */
@Component(configurationPid = RabbitMqConfig.PID, service = RabbitMqComponent.class, immediate = true,
        property = {"osgi.command.scope=rabbitmq", "osgi.command.function=status"})
@Designate(ocd = RabbitMqConfig.class)
public final class RabbitMqComponent {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqComponent.class);
    /** How long deactivation waits for the host to close the plugin after its last event (ms). */
    private static final long CLOSE_WAIT_MILLIS = 30_000;

    private final BundleContext context;
    private TransitionPublisher publisher;
    private TransitionPlugin plugin;
    private ServiceRegistration<SchedulerPlugin> registration;
    private volatile String configProblem;
    private volatile boolean enabled;

    @Activate
    public RabbitMqComponent(BundleContext context, RabbitMqConfig config) {
        this.context = context;
        apply(config);
    }

    @Modified
    synchronized void modified(RabbitMqConfig config) {
        apply(config);
    }

    @Deactivate
    synchronized void deactivate() {
        stopPublishing();
    }

    private synchronized void apply(RabbitMqConfig config) {
        enabled = config.enabled();
        if (!config.enabled()) {
            configProblem = null;
            if (publisher != null) {
                LOG.info("RabbitMQ publisher disabled (enabled = false)");
            }
            stopPublishing();
            return;
        }
        PublisherSettings settings;
        try {
            settings = PublisherSettings.from(config);
            configProblem = null;
        } catch (IllegalArgumentException e) {
            configProblem = e.getMessage();
            LOG.warn("RabbitMQ publisher: bad configuration in etc/{}.cfg: {}{}", RabbitMqConfig.PID, e.getMessage(),
                    publisher == null ? "; not publishing until it is fixed" : "; still publishing with the previous one");
            return;
        }
        try {
            if (publisher == null) {
                Path dir = settings.bufferDirectory().isEmpty()
                        ? context.getDataFile("buffer").toPath() : Path.of(settings.bufferDirectory());
                publisher = new TransitionPublisher(settings, dir);
            } else {
                publisher.update(settings);
            }
        } catch (IOException e) {
            configProblem = "the buffer folder cannot be used: " + e;
            LOG.warn("RabbitMQ publisher: {}", configProblem);
            return;
        }
        if (plugin == null || !plugin.filter().equals(settings.transitions())) {
            register(new TransitionPlugin(publisher, settings.transitions(), this::statusLine));
        }
    }

    /** Registers {@code next}; the host replaces an earlier instance of the same name between two events. */
    private void register(TransitionPlugin next) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PluginProperties.NAME, TransitionPlugin.NAME); // synchronous: it hands events over itself
        ServiceRegistration<SchedulerPlugin> previous = registration;
        registration = context.registerService(SchedulerPlugin.class, next, props);
        plugin = next;
        if (previous != null) {
            previous.unregister(); // already replaced by name: a no-op for the host
        }
    }

    private void stopPublishing() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // the bundle is stopping and the framework unregistered it already
            }
            registration = null;
        }
        if (plugin != null && plugin.started()) {
            try {
                if (!plugin.awaitClosed(CLOSE_WAIT_MILLIS)) {
                    LOG.warn("RabbitMQ plugin was not closed by the scheduler within {} ms; stopping anyway",
                            CLOSE_WAIT_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            plugin = null;
        }
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
    }

    /** For {@code weft:plugins}. */
    private String statusLine() {
        TransitionPublisher p = publisher;
        String line = p == null ? "stopped" : p.status().line();
        return configProblem == null ? line : "bad config: " + configProblem + "; " + line;
    }

    /** The Gogo command {@code rabbitmq:status}. */
    public void status() {
        System.out.print(statusText());
    }

    String statusText() {
        TransitionPublisher p = publisher;
        String problem = configProblem;
        StringBuilder b = new StringBuilder();
        if (!enabled) {
            b.append("disabled: set enabled = true in etc/").append(RabbitMqConfig.PID).append(".cfg to publish\n");
        }
        if (problem != null) {
            b.append("bad config: ").append(problem).append(p == null ? "; not publishing\n"
                    : "; publishing with the previous settings\n");
        }
        if (p != null) {
            b.append(p.status().text());
        }
        return b.toString();
    }
}
