package org.weft.depot;

import org.weft.plugin.api.TaskFunctionName;

/** Annotated but not a task function: wrapping must refuse it. */
@TaskFunctionName("not-a-function")
public class NotAFunction {
}
