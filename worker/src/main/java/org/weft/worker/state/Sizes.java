package org.weft.worker.state;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * A cheap estimate of how many bytes a task result occupies, like Dask's {@code sizeof}: exact
 * enough to compare results and weigh transfers, never a deep heap walk. Lists and maps larger
 * than {@value #SAMPLE} entries are sampled and extrapolated; nesting deeper than
 * {@value #MAX_DEPTH} levels (or a cycle) counts as one reference, and after {@value #BUDGET}
 * values looked at, every further one counts as one reference.
 */
public final class Sizes {

    /** Object header plus alignment, roughly, on a 64-bit JVM with compressed pointers. */
    static final long OBJECT = 16;
    static final long REFERENCE = 8;
    static final int SAMPLE = 100;
    static final int MAX_DEPTH = 32;
    static final int BUDGET = 10_000;

    private Sizes() {
    }

    /** The estimated size of {@code value} in bytes; {@code 0} for {@code null}. */
    public static long estimate(Object value) {
        return new Sizes().estimate(value, 0);
    }

    private int visited;

    private long estimate(Object value, int depth) {
        if (value == null) {
            return 0;
        }
        if (depth > MAX_DEPTH || ++visited > BUDGET) {
            return REFERENCE;
        }
        if (value instanceof String s) {
            return OBJECT + 24 + s.length();
        }
        if (value instanceof byte[] bytes) {
            return OBJECT + bytes.length;
        }
        if (value instanceof BigInteger big) {
            return OBJECT + 24 + big.bitLength() / 8;
        }
        if (value instanceof BigDecimal big) {
            return OBJECT + 40 + big.unscaledValue().bitLength() / 8;
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
            return OBJECT + 8;
        }
        if (value instanceof List<?> list) {
            return OBJECT + 16 + REFERENCE * list.size() + elements(list, depth + 1);
        }
        if (value instanceof Map<?, ?> map) {
            return OBJECT + 32 + 32L * map.size() + entries(map, depth + 1);
        }
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            Class<?> component = value.getClass().getComponentType();
            long each = component.isPrimitive() ? primitiveWidth(component) : REFERENCE;
            return OBJECT + each * length;
        }
        return 4 * OBJECT;
    }

    private long elements(List<?> list, int depth) {
        int size = list.size();
        if (size == 0) {
            return 0;
        }
        if (size <= SAMPLE) {
            long sum = 0;
            for (Object element : list) {
                sum += estimate(element, depth);
            }
            return sum;
        }
        long sum = 0;
        if (list instanceof RandomAccess) {
            for (int i = 0; i < SAMPLE; i++) {
                sum += estimate(list.get((int) ((long) i * size / SAMPLE)), depth);
            }
        } else {
            Iterator<?> it = list.iterator();
            for (int i = 0; i < SAMPLE; i++) {
                sum += estimate(it.next(), depth);
            }
        }
        return sum * size / SAMPLE;
    }

    private long entries(Map<?, ?> map, int depth) {
        int size = map.size();
        long sum = 0;
        int seen = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (seen == SAMPLE) {
                break;
            }
            sum += estimate(entry.getKey(), depth) + estimate(entry.getValue(), depth);
            seen++;
        }
        return seen == 0 ? 0 : sum * size / seen;
    }

    private static long primitiveWidth(Class<?> type) {
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        return 1;
    }
}
