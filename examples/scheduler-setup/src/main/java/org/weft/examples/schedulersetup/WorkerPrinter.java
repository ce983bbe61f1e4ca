package org.weft.examples.schedulersetup;

import java.io.PrintStream;

import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.WorkerEvent;

/** The seed's {@code MyPlugin}: prints each worker that joins and, if asked, how many there are now. */
public class WorkerPrinter implements SchedulerPlugin {

    private final boolean printCount;
    private final PrintStream out;
    private SchedulerView scheduler; // set in start, read on the loop only

    public WorkerPrinter(boolean printCount, PrintStream out) {
        this.printCount = printCount;
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
        out.flush();
    }
}
