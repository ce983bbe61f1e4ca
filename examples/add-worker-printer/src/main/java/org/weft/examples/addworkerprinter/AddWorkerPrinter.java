package org.weft.examples.addworkerprinter;

import java.io.PrintStream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.weft.plugin.api.PluginName;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.WorkerEvent;

/**
 * The preload seed's {@code MyPlugin}: prints every worker that joins, and optionally how many
 * workers there are now. Printing to {@code System.out} is the point of this example.
 *
 * <p>Configured through Configuration Admin under PID {@value #PID}, e.g. a file
 * {@code org.weft.examples.addworkerprinter.cfg} with {@code printCount=true}. The configuration is
 * injected into the constructor, so a change makes DS re-create the component: the host sees the
 * new instance under the same plugin name and swaps it in ({@code close} then {@code start}).
 */
@Component(configurationPid = AddWorkerPrinter.PID)
@Designate(ocd = AddWorkerPrinter.Config.class)
@PluginName("add-worker-printer")
public class AddWorkerPrinter implements SchedulerPlugin {

    /** The configuration PID. */
    public static final String PID = "org.weft.examples.addworkerprinter";

    @ObjectClassDefinition(id = PID, name = "Weft add-worker printer",
            description = "Prints each worker that joins the cluster.")
    public @interface Config {
        boolean DEFAULT_PRINT_COUNT = false;

        @AttributeDefinition(description = "Also print the number of connected workers.")
        boolean printCount() default DEFAULT_PRINT_COUNT;
    }

    private final boolean printCount;
    private final PrintStream out;
    private SchedulerView scheduler; // set in start, read on the loop thread only

    @Activate
    public AddWorkerPrinter(Config config) {
        this(config, System.out);
    }

    AddWorkerPrinter(Config config, PrintStream out) {
        this.printCount = config.printCount();
        this.out = out;
    }

    @Override
    public void start(SchedulerView scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void addWorker(WorkerEvent event) {
        out.println("Added a new worker at: " + event.worker());
        if (printCount) {
            out.println("Total workers: " + scheduler.workers().size());
        }
    }
}
