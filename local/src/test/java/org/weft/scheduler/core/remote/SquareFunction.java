package org.weft.scheduler.core.remote;

import java.util.List;

import org.weft.plugin.api.TaskContext;
import org.weft.plugin.api.TaskFunction;
import org.weft.plugin.api.TaskFunctionName;

/** A task function as an ordinary library writes it: annotated, no OSGi. Uploaded as a plain jar by {@link DepotRemoteTest}. */
@TaskFunctionName("square")
public class SquareFunction implements TaskFunction {
    @Override
    public Object apply(List<Object> args, TaskContext context) {
        long x = ((Number) args.get(0)).longValue();
        return x * x;
    }
}
