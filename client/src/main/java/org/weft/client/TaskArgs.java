package org.weft.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.weft.protocol.TaskRef;

/** Task arguments as the scheduler gets them: {@link WeftFuture}s become {@link TaskRef}s, deeply. */
final class TaskArgs {

    private TaskArgs() {
    }

    /**
     * Converts {@code args}; copies lists and maps (unmodifiable), reporting each future met to
     * {@code futures}.
     */
    static List<Object> toWire(List<?> args, Consumer<WeftFuture> futures) {
        if (args == null) {
            return List.of();
        }
        List<Object> out = new ArrayList<>(args.size());
        for (Object a : args) {
            out.add(convert(a, futures));
        }
        return Collections.unmodifiableList(out);
    }

    static Object convert(Object value, Consumer<WeftFuture> futures) {
        if (value instanceof WeftFuture f) {
            futures.accept(f);
            return new TaskRef(f.key());
        }
        if (value instanceof List<?> l) {
            return toWire(l, futures);
        }
        if (value instanceof java.util.Collection<?> c) {
            return toWire(new ArrayList<>(c), futures);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, convert(v, futures)));
            return Collections.unmodifiableMap(out);
        }
        return value;
    }
}
