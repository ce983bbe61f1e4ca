package org.weft.depot;

import java.util.List;

import org.weft.plugin.api.TaskContext;
import org.weft.plugin.api.TaskFunction;
import org.weft.plugin.api.TaskFunctionName;

/** A task function as a plain library would write it, for the wrapping tests. */
@TaskFunctionName("square")
public class Square implements TaskFunction {
    @Override
    public Object apply(List<Object> args, TaskContext context) {
        long x = ((Number) args.get(0)).longValue();
        return x * x;
    }
}
