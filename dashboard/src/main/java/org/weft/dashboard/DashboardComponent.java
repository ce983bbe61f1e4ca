package org.weft.dashboard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.PluginProperties;
import org.weft.plugin.api.SchedulerPlugin;

/**
 * The dashboard, where a scheduler runs (it needs the scheduler's snapshot service): registers
 * its servlets with the Servlet Whiteboard, which Felix HTTP (Jetty) serves on the dashboard's
 * port, and the scheduler plugin {@code dashboard} that feeds the task stream. Says where it is
 * ({@code dashboard at http://…}) once the HTTP runtime is up and that address answers with this
 * process's instance id ({@link ServedHere}), or that it is not served when another process holds
 * the port.
 */
@Component(immediate = true)
public final class DashboardComponent {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardComponent.class);
    private static final long FEED_PERIOD_MILLIS = 250;
    /** Task-stream bars kept between two looks of the feed: far more than the few hundred a busy cluster makes. */
    private static final int TASK_STREAM_CAPACITY = 65_536;
    private static final String PATTERN = "osgi.http.whiteboard.servlet.pattern";
    /** How long the dashboard waits for its own address to answer before it says it is not served. */
    private static final java.time.Duration PROBE_TIMEOUT = java.time.Duration.ofSeconds(20);

    private final BundleContext context;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final AtomicBoolean announced = new AtomicBoolean();
    private final DashboardSettings settings;
    private final ServedHere servedHere = new ServedHere();
    private LiveFeed feed;

    @Activate
    public DashboardComponent(BundleContext context,
            @Reference(target = "(weft.snapshot=cluster)") Supplier<CompletableFuture<Map<String, Object>>> snapshot,
            @Reference(target = "(weft.snapshot=cluster)") BiFunction<String, String, CompletableFuture<?>> questions)
            throws IOException {
        this.context = context;
        this.settings = DashboardSettings.read(context::getProperty);
        if (!settings.enabled()) {
            LOG.info("the dashboard is off (--no-dashboard, or a process that serves none)");
            return;
        }
        if (settings.tokenFile() != null) {
            LOG.info("dashboard: plugin management asks for the token in {}", settings.tokenFile());
        }
        TaskStream stream = new TaskStream(TASK_STREAM_CAPACITY);
        SnapshotCache snapshots = new SnapshotCache(snapshot, 100);
        feed = new LiveFeed(snapshots, stream, FEED_PERIOD_MILLIS);
        PluginBundles bundles = new PluginBundles(context, settings.home(), settings.data().resolve("dashboard-plugins"));

        Hashtable<String, Object> plugin = new Hashtable<>();
        plugin.put(PluginProperties.NAME, TaskStreamPlugin.NAME);
        registrations.add(context.registerService(SchedulerPlugin.class, new TaskStreamPlugin(stream), plugin));

        servlet(new PageServlet(), "/");
        servlet(new ApiServlet(snapshots, questions, bundles, new ExtraPages(context)), "/api/*");
        servlet(new StreamServlet(feed), "/api/stream");
        servlet(servedHere, ServedHere.PATH);
        servlet(new MetricsServlet(new WeftMetrics(snapshots::fresh, feed::subscriberCount)), "/metrics");
        servlet(new PluginAdminServlet(bundles, new TokenCheck(settings.token()), settings.maxUploadBytes(),
                settings.data().resolve("tmp")), "/api/plugins/*");
    }

    private void servlet(Servlet servlet, String pattern) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(PATTERN, pattern);
        properties.put("osgi.http.whiteboard.servlet.asyncSupported", Boolean.TRUE);
        properties.put("osgi.http.whiteboard.servlet.name", "weft-dashboard" + pattern);
        registrations.add(context.registerService(Servlet.class, servlet, properties));
    }

    /** The HTTP runtime that serves the whiteboard: once it is there, say where the dashboard is. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindHttpServiceRuntime(ServiceReference<HttpServiceRuntime> runtime) {
        Object endpoint = runtime.getProperty("osgi.http.endpoint");
        String first = endpoint instanceof String s ? s
                : endpoint instanceof String[] all && all.length > 0 ? all[0]
                : endpoint instanceof java.util.Collection<?> c && !c.isEmpty() ? String.valueOf(c.iterator().next()) : null;
        if (first != null && settings.enabled() && announced.compareAndSet(false, true)) {
            Thread check = new Thread(() -> announceIfServedAt(first), "weft-dashboard-bound");
            check.setDaemon(true);
            check.start();
        }
    }

    /**
     * Says where the dashboard is once this process answers there; if another process took the
     * port between the launcher's check and Jetty's bind, says so instead of naming its address.
     */
    private void announceIfServedAt(String endpoint) {
        try {
            String why = servedHere.whyNotServedAt(endpoint, PROBE_TIMEOUT);
            if (why == null) {
                announce("dashboard at " + endpoint);
            } else {
                LOG.error("the dashboard is not served: {} is not this process: {}", endpoint, why);
                announce("weft: ERROR the dashboard is not served: its address " + endpoint + " is not this process's ("
                        + why + "); another process took the port as this one started. Restart, or use "
                        + "--dashboard-address HOST:0 for any free port");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void unbindHttpServiceRuntime(ServiceReference<HttpServiceRuntime> runtime) {
        announced.set(false);
    }

    /** A line for the launcher to print on stdout ({@code weft.announce}); logged as well. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void announce(String line) {
        LOG.info(line);
        try {
            for (ServiceReference<Consumer> ref : context.getServiceReferences(Consumer.class, "(weft.announce=true)")) {
                Consumer<String> out = context.getService(ref);
                if (out != null) {
                    try {
                        out.accept(line);
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                LOG.trace("already unregistered", e);
            }
        }
        registrations.clear();
        if (feed != null) {
            feed.close();
        }
    }
}
