package org.weft.examples.errorlogger;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import org.weft.plugin.api.PluginName;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.plugin.api.WorkerTaskView;
import org.weft.plugin.api.WorkerTransitionEvent;
import org.weft.plugin.api.WorkerView;

/**
 * Dask's ErrorLogger example, in Java: logs every task that fails on a worker, with its traceback.
 *
 * <p>Prototype scope: every worker gets its own instance, set up with that worker's view. Logging
 * goes through {@code java.util.logging} so the example needs no logging library.
 */
@Component(scope = ServiceScope.PROTOTYPE, service = WorkerPlugin.class)
@PluginName("error-logger")
public class ErrorLogger implements WorkerPlugin {

    private final Logger logger;
    private WorkerView worker; // set in setup, read on the worker's loop thread only

    public ErrorLogger() {
        this(Logger.getLogger(ErrorLogger.class.getName()));
    }

    ErrorLogger(Logger logger) {
        this.logger = logger;
    }

    @Override
    public void setup(WorkerView worker) {
        this.worker = worker;
    }

    @Override
    public void transition(WorkerTransitionEvent event) {
        if (event.finish() != WorkerTaskState.ERROR) {
            return;
        }
        WorkerTaskView task = worker.tasks().get(event.key());
        // the event carries the same text; the view is read here as the seed does
        String text = task != null ? task.exceptionText() : event.exceptionText();
        String traceback = task != null ? task.traceback() : event.traceback();
        logger.log(Level.SEVERE, () -> "Error during computation of '" + event.key() + "': " + text
                + (traceback == null ? "" : System.lineSeparator() + traceback));
    }
}
