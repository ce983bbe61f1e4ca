package org.weft.examples.schedulersetup;

import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.Preload;
import org.weft.plugin.api.PreloadNode;

import picocli.CommandLine.Option;

/**
 * The preload seed's {@code scheduler-setup.py}: adds a {@link WorkerPrinter} to the scheduler
 * before it listens. {@code bin/weft scheduler --preload scheduler-setup.jar --print-count} sets
 * {@link #printCount}: the scheduler's command line does not know the option, so it comes here,
 * where it is declared with picocli (Dask's example declares it with click).
 */
public class SchedulerSetup implements Preload {

    /** The name the plugin runs under ({@code weft:plugins} lists it). */
    public static final String PLUGIN_NAME = "print-workers";

    @Option(names = "--print-count", negatable = true, description = "Also print how many workers there are.")
    boolean printCount;

    @Override
    public void setup(PreloadNode scheduler) {
        scheduler.addPlugin(new WorkerPrinter(printCount, System.out), PluginOptions.named(PLUGIN_NAME));
    }
}
