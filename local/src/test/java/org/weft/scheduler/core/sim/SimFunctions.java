package org.weft.scheduler.core.sim;

import java.util.List;

/**
 * The task functions of the simulation: pure, deterministic functions of their arguments (every
 * argument a {@code Long}, dependency results included), so the result of every key can be
 * computed without the state machines. {@code frag} throws for some inputs, to check that errors
 * propagate to dependents and blame the right key.
 */
final class SimFunctions {

    static final List<String> NAMES = List.of("inc", "add", "frag", "slow");

    private SimFunctions() {
    }

    /** @throws ArithmeticException from {@code frag} when the sum of its arguments is a multiple of 5 */
    static Long apply(String function, List<Object> args) {
        long sum = 0;
        for (Object arg : args) {
            sum += (Long) arg;
        }
        return switch (function) {
            case "inc" -> sum + 1;
            case "add" -> sum;
            case "slow" -> sum + 3; // secedes while it runs (see SimCluster.execute)
            case "frag" -> {
                if (Math.floorMod(sum, 5) == 0) {
                    throw new ArithmeticException("frag fails on " + sum);
                }
                yield 2 * sum + 1;
            }
            default -> throw new IllegalArgumentException("no task function '" + function + "'");
        };
    }

    /** The exception text a worker reports for a throwable, as {@code WorkerNode} writes it. */
    static String exceptionText(Throwable failure) {
        return failure.getClass().getName() + ": " + failure.getMessage();
    }
}
