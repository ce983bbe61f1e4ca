package org.weft.examples.counter;

import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;
import org.weft.plugin.api.PluginName;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TransitionEvent;

/**
 * Version 2 of the counter: same plugin name and bundle symbolic name as version 1, so
 * {@code update <id> file:...} replaces it on a running scheduler. It also counts erred tasks
 * ({@code counter:erred}) and reports {@code counter:version} = 2.
 */
@Component(
        service = {SchedulerPlugin.class, Object.class},
        property = {
            "osgi.command.scope=counter",
            "osgi.command.function=count",
            "osgi.command.function=erred",
            "osgi.command.function=version"
        })
@PluginName("counter")
public class Counter implements SchedulerPlugin {

    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong erred = new AtomicLong();

    @Override
    public void transition(TransitionEvent event) {
        if (event.start() == SchedulerTaskState.PROCESSING && event.finish() == SchedulerTaskState.MEMORY) {
            finished.incrementAndGet();
        } else if (event.finish() == SchedulerTaskState.ERRED) {
            erred.incrementAndGet();
        }
    }

    @Override
    public void restart(SchedulerView scheduler) {
        finished.set(0);
        erred.set(0);
    }

    /** Shell command {@code counter:count}: tasks finished since start or the last restart. */
    public long count() {
        return finished.get();
    }

    /** Shell command {@code counter:erred}: tasks that reached {@code erred} since start or the last restart. */
    public long erred() {
        return erred.get();
    }

    /** Shell command {@code counter:version}: which revision of this bundle is running. */
    public String version() {
        return "2";
    }
}
