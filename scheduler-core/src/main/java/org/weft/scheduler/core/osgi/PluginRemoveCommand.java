package org.weft.scheduler.core.osgi;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.weft.scheduler.core.cluster.SchedulerService;

/**
 * {@code weft:plugin-remove <name>}: removes a scheduler plugin by name (its {@code close()} is
 * called), or else the worker plugin of that name from every worker (its {@code teardown()}).
 * Gogo calls {@code _main} because a method cannot be named {@code plugin-remove}.
 */
@Component(service = Object.class, property = {"osgi.command.scope=weft", "osgi.command.function=plugin-remove"})
public final class PluginRemoveCommand {

    private final SchedulerService cluster;

    @Activate
    public PluginRemoveCommand(@Reference RunningScheduler running) {
        this.cluster = running.service();
    }

    @Descriptor("Remove a scheduler or worker plugin by name: weft:plugin-remove <name>")
    public void _main(String[] all) throws Exception {
        // Gogo passes the function's own name first: ["plugin-remove", <name>]
        String[] args = all.length > 0 && "plugin-remove".equalsIgnoreCase(all[0])
                ? java.util.Arrays.copyOfRange(all, 1, all.length) : all;
        if (args.length != 1) {
            System.out.println("usage: weft:plugin-remove <name>   (names: weft:plugins)");
            return;
        }
        String name = args[0];
        try {
            cluster.scheduler().removePlugin(name).get(30, TimeUnit.SECONDS);
            System.out.println("removed plugin '" + name + "'");
        } catch (ExecutionException e) {
            if (cluster.removeWorkerPlugin(name).get(30, TimeUnit.SECONDS)) {
                System.out.println("removed worker plugin '" + name + "' from every worker");
            } else {
                System.out.println(e.getCause().getMessage() + "; worker plugins: " + cluster.workerPluginNames());
            }
        }
    }
}
