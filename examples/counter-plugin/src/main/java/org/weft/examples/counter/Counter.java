package org.weft.examples.counter;

import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;
import org.weft.plugin.api.PluginName;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TransitionEvent;

/**
 * Dask's Counter example, in Java: counts tasks that finish (processing → memory) and resets on restart.
 *
 * <p>The same component is also registered as a Gogo command, so {@code counter:count} in the
 * Weft shell prints the count. Transitions arrive on the scheduler loop thread while the shell
 * reads from its own thread, hence the {@link AtomicLong}.
 */
@Component(
        service = {SchedulerPlugin.class, Object.class},
        property = {
            "osgi.command.scope=counter",
            "osgi.command.function=count",
            "osgi.command.function=version"
        })
@PluginName("counter")
public class Counter implements SchedulerPlugin {

    private final AtomicLong finished = new AtomicLong();

    @Override
    public void transition(TransitionEvent event) {
        if (event.start() == SchedulerTaskState.PROCESSING && event.finish() == SchedulerTaskState.MEMORY) {
            finished.incrementAndGet();
        }
    }

    @Override
    public void restart(SchedulerView scheduler) {
        finished.set(0);
    }

    /** Shell command {@code counter:count}: tasks finished since start or the last restart. */
    public long count() {
        return finished.get();
    }

    /** Shell command {@code counter:version}: which revision of this bundle is running. */
    public String version() {
        return "1";
    }
}
