package org.weft.node.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weft.plugin.api.Delivery;
import org.weft.plugin.api.TransitionRecord;
import org.weft.pluginhost.PluginKind;
import org.weft.pluginhost.PluginState;
import org.weft.pluginhost.PluginStatus;

/** A worker process's answers to the scheduler's questions (its story, its plugins) as JSON-able maps, and back. */
public final class StatusWire {

    private StatusWire() {
    }

    public static Map<String, Object> story(TransitionRecord r) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("key", r.key());
        entry.put("start", r.start());
        entry.put("finish", r.finish());
        entry.put("stimulusId", r.stimulusId());
        entry.put("where", r.where());
        entry.put("timestampMillis", r.timestampMillis());
        return entry;
    }

    public static List<TransitionRecord> stories(Object answer) {
        List<TransitionRecord> out = new ArrayList<>();
        if (answer instanceof List<?> entries) {
            for (Object o : entries) {
                if (o instanceof Map<?, ?> m) {
                    out.add(new TransitionRecord(str(m.get("key")), str(m.get("start")), str(m.get("finish")),
                            str(m.get("stimulusId")), str(m.get("where")), num(m.get("timestampMillis"))));
                }
            }
        }
        return out;
    }

    public static Map<String, Object> plugin(PluginStatus p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("kind", p.kind().name());
        m.put("where", p.where());
        m.put("bundle", p.bundle());
        m.put("version", p.version());
        m.put("state", p.state().name());
        if (p.delivery() != null) {
            m.put("async", p.delivery().async());
            m.put("queueCapacity", p.delivery().queueCapacity());
            m.put("overflow", p.delivery().overflow().name());
        }
        m.put("calls", p.calls());
        m.put("errors", p.errors());
        m.put("meanNanos", p.meanNanos());
        m.put("maxNanos", p.maxNanos());
        m.put("dropped", p.dropped());
        m.put("failure", p.failure());
        m.put("statusLine", p.statusLine());
        return m;
    }

    public static List<PluginStatus> plugins(Object answer) {
        List<PluginStatus> out = new ArrayList<>();
        if (answer instanceof List<?> entries) {
            for (Object o : entries) {
                if (o instanceof Map<?, ?> m) {
                    out.add(new PluginStatus(str(m.get("name")), PluginKind.valueOf(str(m.get("kind"))), str(m.get("where")),
                            str(m.get("bundle")), str(m.get("version")), PluginState.valueOf(str(m.get("state"))),
                            delivery(m), num(m.get("calls")),
                            num(m.get("errors")), num(m.get("meanNanos")), num(m.get("maxNanos")), num(m.get("dropped")),
                            str(m.get("failure")), str(m.get("statusLine"))));
                }
            }
        }
        return out;
    }

    private static Delivery delivery(Map<?, ?> m) {
        if (!(m.get("overflow") instanceof String overflow)) {
            return null;
        }
        return new Delivery(Boolean.TRUE.equals(m.get("async")), (int) num(m.get("queueCapacity")),
                org.weft.plugin.api.Overflow.valueOf(overflow));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
