package org.weft.node.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.weft.node.SchedulerInstruction;
import org.weft.node.WorkerInstruction;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.protocol.Message;
import org.weft.protocol.Ref;
import org.weft.protocol.SchedulerMessage;
import org.weft.protocol.TaskRef;
import org.weft.protocol.WorkerMessage;

/**
 * Between the state machines' instructions and the protocol's messages, both ways: what the
 * scheduler tells a worker, and what a worker tells the scheduler. References to other tasks'
 * results are {@link TaskRef}s inside the node and {@link Ref}s on the wire.
 */
public final class WireMapping {

    private WireMapping() {
    }

    // ---------------------------------------------------------------- scheduler -> worker

    public static SchedulerMessage.ComputeTask toMessage(SchedulerInstruction.ComputeTask c) {
        TaskPriority p = c.priority();
        return new SchedulerMessage.ComputeTask(c.key(), c.function(), args(c.args(), WireMapping::toWire),
                lists(c.whoHas()), p.user(), p.generation(), p.order(), c.resources(), c.stimulusId(), c.runId());
    }

    public static SchedulerInstruction.ComputeTask fromMessage(String worker, SchedulerMessage.ComputeTask m) {
        return new SchedulerInstruction.ComputeTask(worker, m.key(), m.function(), args(m.args(), WireMapping::fromWire),
                sets(m.whoHas()), new TaskPriority(m.priority(), m.generation(), m.order()), m.resources(), m.stimulusId(),
                m.runId());
    }

    /**
     * A worker's control instruction (anything but compute and free) as a message.
     *
     * @throws IllegalArgumentException for an instruction that does not go to a worker
     */
    public static SchedulerMessage toMessage(SchedulerInstruction i) {
        if (i instanceof SchedulerInstruction.ComputeTask c) {
            return toMessage(c);
        } else if (i instanceof SchedulerInstruction.FreeKeys f) {
            return new SchedulerMessage.FreeKeys(f.keys(), f.stimulusId());
        } else if (i instanceof SchedulerInstruction.StealRequest r) {
            return new SchedulerMessage.StealRequest(r.key(), r.stimulusId());
        } else if (i instanceof SchedulerInstruction.AcquireReplicas a) {
            return new SchedulerMessage.AcquireReplicas(lists(a.whoHas()), a.stimulusId());
        } else if (i instanceof SchedulerInstruction.RestartWorker r) {
            return new SchedulerMessage.RestartWorker(r.stimulusId());
        } else if (i instanceof SchedulerInstruction.CloseWorker c) {
            return new SchedulerMessage.CloseWorker(c.reason(), c.stimulusId());
        }
        throw new IllegalArgumentException("not an instruction for a worker: " + i);
    }

    /** A control message for {@code worker} as the instruction its node handles; null for any other message. */
    public static SchedulerInstruction controlFromMessage(String worker, Message m) {
        if (m instanceof SchedulerMessage.StealRequest r) {
            return new SchedulerInstruction.StealRequest(worker, r.key(), r.stimulusId());
        } else if (m instanceof SchedulerMessage.AcquireReplicas a) {
            return new SchedulerInstruction.AcquireReplicas(worker, sets(a.whoHas()), a.stimulusId());
        } else if (m instanceof SchedulerMessage.RestartWorker r) {
            return new SchedulerInstruction.RestartWorker(worker, r.stimulusId());
        } else if (m instanceof SchedulerMessage.CloseWorker c) {
            return new SchedulerInstruction.CloseWorker(worker, c.reason(), c.stimulusId());
        }
        return null;
    }

    // ---------------------------------------------------------------- worker -> scheduler

    /** A worker's message for the scheduler; null for local work (execute, gather, rejoin). */
    public static WorkerMessage toMessage(WorkerInstruction i) {
        if (i instanceof WorkerInstruction.TaskFinishedMsg m) {
            return new WorkerMessage.TaskFinished(m.key(), m.nbytes(), m.typeName(), spans(m.startstops()), m.stimulusId(),
                    m.runId());
        } else if (i instanceof WorkerInstruction.TaskErredMsg m) {
            return new WorkerMessage.TaskErred(m.key(), m.exceptionText(), m.traceback(), spans(m.startstops()),
                    m.stimulusId(), m.runId());
        } else if (i instanceof WorkerInstruction.MissingDataMsg m) {
            return new WorkerMessage.MissingData(m.key(), m.peer(), m.stimulusId());
        } else if (i instanceof WorkerInstruction.StealResponseMsg m) {
            return new WorkerMessage.StealResponse(m.key(), m.state() == null ? null : m.state().name(), m.stimulusId());
        } else if (i instanceof WorkerInstruction.LongRunningMsg m) {
            return new WorkerMessage.LongRunning(m.key(), m.stimulusId(), m.runId());
        }
        return null;
    }

    /**
     * A worker's report as the instruction the scheduler's node takes; null for messages that are
     * not reports (heartbeats, answers).
     *
     * @throws IllegalArgumentException for a steal response naming no known state
     */
    public static WorkerInstruction fromMessage(WorkerMessage m) {
        if (m instanceof WorkerMessage.TaskFinished f) {
            return new WorkerInstruction.TaskFinishedMsg(f.key(), f.nbytes(), f.typeName(), startstops(f.startstops()),
                    f.stimulusId(), f.runId());
        } else if (m instanceof WorkerMessage.TaskErred e) {
            return new WorkerInstruction.TaskErredMsg(e.key(), e.exceptionText(), e.traceback(), startstops(e.startstops()),
                    e.stimulusId(), e.runId());
        } else if (m instanceof WorkerMessage.MissingData d) {
            return new WorkerInstruction.MissingDataMsg(d.key(), d.peer(), d.stimulusId());
        } else if (m instanceof WorkerMessage.StealResponse r) {
            return new WorkerInstruction.StealResponseMsg(r.key(), r.state() == null ? null : WorkerTaskState.valueOf(r.state()),
                    r.stimulusId());
        } else if (m instanceof WorkerMessage.LongRunning l) {
            return new WorkerInstruction.LongRunningMsg(l.key(), l.stimulusId(), l.runId());
        }
        return null;
    }

    // ---------------------------------------------------------------- values

    /** {@link TaskRef}s to {@link Ref}s, in lists and maps at any depth; other values as they are. */
    public static Object toWire(Object value) {
        return value instanceof TaskRef ref ? new Ref(ref.key()) : convert(value, WireMapping::toWire);
    }

    /** {@link Ref}s to {@link TaskRef}s, in lists and maps at any depth; other values as they are. */
    public static Object fromWire(Object value) {
        return value instanceof Ref ref ? new TaskRef(ref.key()) : convert(value, WireMapping::fromWire);
    }

    private static Object convert(Object value, Function<Object, Object> each) {
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(each.apply(o));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>(map.size() * 2);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(e.getKey(), each.apply(e.getValue()));
            }
            return out;
        }
        return value;
    }

    public static List<Object> args(List<Object> args, Function<Object, Object> each) {
        if (args.isEmpty()) {
            return List.of();
        }
        List<Object> out = new ArrayList<>(args.size());
        for (Object a : args) {
            out.add(each.apply(a));
        }
        return out;
    }

    private static Map<String, List<String>> lists(Map<String, Set<String>> whoHas) {
        if (whoHas.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>(whoHas.size() * 2);
        whoHas.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    private static Map<String, Set<String>> sets(Map<String, List<String>> whoHas) {
        if (whoHas.isEmpty()) {
            return Map.of();
        }
        Map<String, Set<String>> out = new LinkedHashMap<>(whoHas.size() * 2);
        whoHas.forEach((k, v) -> out.put(k, new LinkedHashSet<>(v)));
        return out;
    }

    private static List<WorkerMessage.Span> spans(List<Startstop> startstops) {
        if (startstops == null || startstops.isEmpty()) {
            return List.of();
        }
        List<WorkerMessage.Span> out = new ArrayList<>(startstops.size());
        for (Startstop s : startstops) {
            out.add(new WorkerMessage.Span(s.action(), s.startMillis(), s.stopMillis(), s.source()));
        }
        return out;
    }

    private static List<Startstop> startstops(List<WorkerMessage.Span> spans) {
        if (spans.isEmpty()) {
            return List.of();
        }
        List<Startstop> out = new ArrayList<>(spans.size());
        for (WorkerMessage.Span s : spans) {
            out.add(new Startstop(s.action(), s.startMillis(), s.stopMillis(), s.source()));
        }
        return out;
    }
}
