package org.weft.local.osgi;

import java.io.PrintStream;
import java.util.Locale;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.client.Client;
import org.weft.local.demo.PiDemo;
import org.weft.node.osgi.LauncherSignals;

/**
 * {@code bin/weft demo}: when the framework property {@code weft.mode} is {@code demo}, runs the pi
 * workload on the local cluster, prints the result, and hands the launcher an exit code.
 * In any other mode it does nothing.
 */
@Component(immediate = true)
public final class DemoComponent {

    private static final Logger LOG = LoggerFactory.getLogger(DemoComponent.class);

    @Activate
    public DemoComponent(@Reference LocalClusterComponent cluster, BundleContext context) {
        if (!"demo".equals(context.getProperty("weft.mode"))) {
            return;
        }
        int chunks = intProperty(context, "weft.demo.chunks", 4000);
        long samples = intProperty(context, "weft.demo.samples", 20_000);
        Thread job = new Thread(() -> run(cluster, context, chunks, samples), "weft-demo");
        job.setDaemon(true);
        job.start();
    }

    private static void run(LocalClusterComponent component, BundleContext context, int chunks, long samples) {
        PrintStream out = System.out;
        int code = 0;
        out.printf(Locale.ROOT, "Estimating pi: %,d Monte-Carlo chunks of %,d samples each, tree-reduced with fan-in %d%n",
                chunks, samples, PiDemo.FAN_IN);
        try (Client client = component.cluster().client()) {
            DemoProfile profile = DemoProfile.start(component.cluster(), client,
                    java.nio.file.Path.of(String.valueOf(context.getProperty("weft.home")), "data", "profile"));
            PiDemo.Result r = PiDemo.run(client, chunks, samples, out, System.console() != null);
            out.printf(Locale.ROOT, "pi ≈ %.6f (error %.6f)%n", r.pi(), Math.abs(r.pi() - Math.PI));
            out.printf(Locale.ROOT, "tasks: %,d in %.2f s = %,.0f tasks/s%n", r.tasks(), r.seconds(), r.tasksPerSecond());
            out.println("log: " + context.getProperty("weft.home") + "/data/log/weft.log");
            if (profile != null) {
                profile.finish(out);
            }
        } catch (RuntimeException e) {
            LOG.error("the demo failed", e);
            out.println("demo failed: " + e);
            code = 1;
        }
        out.flush();
        if (!LauncherSignals.exit(context, code)) {
            LOG.info("demo finished with code {}; no launcher to tell", code);
        }
    }

    private static int intProperty(BundleContext context, String name, int fallback) {
        String value = context.getProperty(name);
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            LOG.warn("framework property {}={} is not a number; using {}", name, value, fallback);
            return fallback;
        }
    }
}
