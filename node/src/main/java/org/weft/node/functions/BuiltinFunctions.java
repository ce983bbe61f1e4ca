package org.weft.node.functions;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The functions every Weft cluster knows: {@code noop}, {@code identity}, {@code inc},
 * {@code add}, {@code sum}, {@code sleep}, {@code fail}, and {@code pi-chunk} for the demo.
 */
public final class BuiltinFunctions {

    private BuiltinFunctions() {
    }

    static void registerAll(TaskFunctionRegistry r) {
        r.register("noop", (args, ctx) -> null);
        r.register("identity", (args, ctx) -> {
            requireArgs("identity", args, 1);
            return args.get(0);
        });
        r.register("inc", (args, ctx) -> {
            requireArgs("inc", args, 1);
            return number("inc", args.get(0)) + 1;
        });
        r.register("add", (args, ctx) -> {
            requireArgs("add", args, 2);
            return addAll("add", args);
        });
        r.register("sum", (args, ctx) -> addAll("sum", flatten(args)));
        r.register("sleep", (args, ctx) -> {
            requireArgs("sleep", args, 1);
            Thread.sleep(number("sleep", args.get(0)).longValue());
            return args.size() > 1 ? args.get(1) : null;
        });
        r.register("fail", (args, ctx) -> {
            throw new IllegalStateException(args.isEmpty() ? "task '" + ctx.key() + "' failed on purpose"
                    : String.valueOf(args.get(0)));
        });
        r.register("bytes", (args, ctx) -> {
            requireArgs("bytes", args, 1);
            long n = number("bytes", args.get(0));
            if (n < 0 || n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("bytes takes a size from 0 to " + (Integer.MAX_VALUE - 8) + ", got " + n);
            }
            byte[] block = new byte[(int) n];
            java.util.Arrays.fill(block, (byte) 1); // resident, not just reserved
            return block;
        });
        r.register("pi-chunk", (args, ctx) -> {
            requireArgs("pi-chunk", args, 2);
            return piChunk(number("pi-chunk", args.get(0)).longValue(), number("pi-chunk", args.get(1)).longValue());
        });
    }

    /**
     * Monte-Carlo: how many of {@code samples} random points of the unit square fall inside the
     * quarter circle. Deterministic for a given seed.
     */
    public static long piChunk(long seed, long samples) {
        SplittableRandom random = new SplittableRandom(seed);
        long inside = 0;
        for (long i = 0; i < samples; i++) {
            double x = random.nextDouble();
            double y = random.nextDouble();
            if (x * x + y * y <= 1.0) {
                inside++;
            }
        }
        return inside;
    }

    private static void requireArgs(String fn, List<Object> args, int n) {
        if (args.size() < n) {
            throw new IllegalArgumentException(fn + " takes " + n + " argument(s), got " + args.size());
        }
    }

    private static Long number(String fn, Object value) {
        if (value instanceof Number n) {
            if (n instanceof Double || n instanceof Float) {
                throw new IllegalArgumentException(fn + " takes whole numbers, got " + value);
            }
            return n.longValue();
        }
        throw new IllegalArgumentException(fn + " takes numbers, got " + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    /** Adds longs exactly; switches to double as soon as one argument is fractional. */
    private static Number addAll(String fn, List<?> values) {
        long total = 0;
        double fractional = 0;
        boolean isDouble = false;
        for (Object v : values) {
            if (v instanceof Double || v instanceof Float) {
                isDouble = true;
                fractional += ((Number) v).doubleValue();
            } else if (v instanceof Number n) {
                total = Math.addExact(total, n.longValue());
            } else {
                throw new IllegalArgumentException(fn + " takes numbers, got "
                        + (v == null ? "null" : v.getClass().getSimpleName()));
            }
        }
        return isDouble ? (Number) (total + fractional) : (Number) total;
    }

    private static List<Object> flatten(List<Object> args) {
        if (args.size() == 1 && args.get(0) instanceof List<?> inner) {
            return new java.util.ArrayList<>(inner);
        }
        return args;
    }
}
