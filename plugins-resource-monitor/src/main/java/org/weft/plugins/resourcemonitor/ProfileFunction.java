package org.weft.plugins.resourcemonitor;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.weft.plugin.api.TaskContext;
import org.weft.plugin.api.TaskFunction;
import org.weft.plugin.api.TaskFunctionName;

/**
 * The client's way to profile: {@code client.runOnScheduler("weft-profile", "report", "/tmp/profile.html")}
 * (or {@code start}, {@code stop}, {@code status}, {@code trace FILE}) returns the lines the shell
 * command would print, as one string. Files are written on the scheduler's machine; in a scheduler
 * process they hold every worker process's recording too. In a worker process, {@code recording}
 * answers the scheduler with this process's recording ({@link ProfileWire}), or {@code null}.
 */
@Component
@TaskFunctionName(ProfileFunction.NAME)
public final class ProfileFunction implements TaskFunction {

    public static final String NAME = "weft-profile";

    private final ProfilerComponent profiler;

    @Activate
    public ProfileFunction(@Reference ProfilerComponent profiler) {
        this.profiler = profiler;
    }

    @Override
    public Object apply(List<Object> args, TaskContext context) {
        return profiler.service().function(args);
    }
}
