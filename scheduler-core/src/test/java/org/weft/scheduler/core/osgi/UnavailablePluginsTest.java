package org.weft.scheduler.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceException;
import org.weft.plugin.api.PluginOptions;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.pluginhost.PluginOrigin;
import org.weft.pluginhost.PluginState;
import org.weft.pluginhost.PluginStatus;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.scheduler.core.cluster.SchedulerNode;

/**
 * A plugin service that gives no object is listed FAILED at once, and gets its cause from the
 * framework's error event, whichever comes first, and also when the two come at the same time on
 * two threads (the service tracker's and the framework's event thread).
 */
class UnavailablePluginsTest {

    private static final long BINDER = 42;
    private static final PluginOrigin ORIGIN = new PluginOrigin("org.example.broken", "1.0.0", 7);

    private final SchedulerNode node = new SchedulerNode(SchedulerConfig.DEFAULTS, PluginHostConfig.DEFAULTS);
    private final UnavailablePlugins unavailable = new UnavailablePlugins(node, BINDER);

    @BeforeEach
    void start() {
        node.start();
    }

    @AfterEach
    void close() {
        node.close();
    }

    private static FrameworkEvent factoryError(String missing) {
        Bundle binder = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> method.getName().equals("getBundleId") ? BINDER : null);
        return new FrameworkEvent(FrameworkEvent.ERROR, binder, new ServiceException("Service factory exception",
                ServiceException.FACTORY_EXCEPTION, new NoClassDefFoundError(missing)));
    }

    private PluginStatus status(String name) throws Exception {
        return node.pluginStatus().get(10, TimeUnit.SECONDS).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no plugin " + name));
    }

    @Test
    void theCauseThatComesAfterTheListingReplacesTheRowWithoutIt() throws Exception {
        unavailable.schedulerPlugin(PluginOptions.named("late"), ORIGIN);
        assertTrue(status("late").failure().contains("the cause follows in weft.log"), status("late").failure());
        unavailable.frameworkEvent(factoryError("org/example/gone/Late"));
        assertEquals(PluginState.FAILED, status("late").state());
        assertTrue(status("late").failure().contains("NoClassDefFoundError: org/example/gone/Late"), status("late").failure());
    }

    @Test
    void aCauseThatComesBeforeTheListingIsKeptForIt() throws Exception {
        unavailable.frameworkEvent(factoryError("org/example/gone/Early"));
        unavailable.schedulerPlugin(PluginOptions.named("early"), ORIGIN);
        assertEquals(PluginState.FAILED, status("early").state());
        assertTrue(status("early").failure().contains("NoClassDefFoundError: org/example/gone/Early"), status("early").failure());
    }

    @Test
    void theListingAndTheCauseAtOnceOnTwoThreadsEndWithTheCause() throws Exception {
        for (int i = 0; i < 300; i++) {
            String name = "broken-" + i;
            CyclicBarrier together = new CyclicBarrier(2);
            Thread tracker = new Thread(() -> {
                await(together);
                unavailable.schedulerPlugin(PluginOptions.named(name), ORIGIN);
            });
            tracker.start();
            await(together);
            unavailable.frameworkEvent(factoryError("org/example/gone/Gone" + i));
            tracker.join();
            String failure = status(name).failure();
            assertTrue(failure.contains("NoClassDefFoundError: org/example/gone/Gone" + i), "round " + i + ": " + failure);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
