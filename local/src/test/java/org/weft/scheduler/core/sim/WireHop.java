package org.weft.scheduler.core.sim;

import java.util.List;

import org.weft.node.SchedulerInstruction;
import org.weft.node.WorkerInstruction;
import org.weft.node.wire.WireMapping;
import org.weft.protocol.Codec;
import org.weft.protocol.Message;
import org.weft.protocol.SchedulerMessage;
import org.weft.protocol.WorkerMessage;

/**
 * The simulation's hops through the real wire protocol: an instruction becomes its protocol
 * message ({@link WireMapping}), is encoded and decoded by the {@link Codec}, and becomes an
 * instruction again on the other side, as {@code RemoteWorker} and a worker process do it. On unless
 * {@code -Dweft.sim.wire=false}: whatever the wire drops (a field the messages lack) shows.
 */
final class WireHop {

    /** One for every seed: a codec is thread-safe, and building one (its serializers) costs far more than a hop. */
    private static final Codec CODEC = new Codec();
    private final Codec codec = CODEC;

    /** Scheduler → worker: what {@code worker} receives for {@code instruction}. */
    SchedulerInstruction toWorker(String worker, SchedulerInstruction instruction) {
        Message m = roundTrip(WireMapping.toMessage(instruction));
        if (m instanceof SchedulerMessage.ComputeTask c) {
            return WireMapping.fromMessage(worker, c);
        } else if (m instanceof SchedulerMessage.FreeKeys f) {
            return new SchedulerInstruction.FreeKeys(worker, f.keys(), f.stimulusId());
        }
        SchedulerInstruction control = WireMapping.controlFromMessage(worker, m);
        if (control == null) {
            throw new AssertionError("no instruction for " + m + " (from " + instruction + ")");
        }
        return control;
    }

    /** Worker → scheduler: what the scheduler receives for {@code report}. */
    WorkerInstruction toScheduler(WorkerInstruction report) {
        WorkerMessage m = WireMapping.toMessage(report);
        if (m == null) {
            throw new AssertionError("no message for " + report);
        }
        return WireMapping.fromMessage((WorkerMessage) roundTrip(m));
    }

    private Message roundTrip(Message m) {
        try {
            List<Message> back = codec.decode(codec.encode(List.of(m)));
            if (back.size() != 1) {
                throw new AssertionError("one message encoded, " + back.size() + " decoded: " + back);
            }
            return back.get(0);
        } catch (org.weft.protocol.ProtocolException e) {
            throw new AssertionError("the codec cannot read back " + m, e);
        }
    }
}
