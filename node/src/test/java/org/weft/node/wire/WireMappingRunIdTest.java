package org.weft.node.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction;
import org.weft.node.WorkerInstruction;
import org.weft.plugin.api.TaskPriority;
import org.weft.protocol.Codec;
import org.weft.protocol.SchedulerMessage;
import org.weft.protocol.WorkerMessage;

/** The run id of a compute and of the worker's answer crosses the wire both ways (encoded and decoded). */
class WireMappingRunIdTest {

    private final Codec codec = new Codec();

    @Test
    void aComputesRunIdReachesTheWorker() throws Exception {
        SchedulerInstruction.ComputeTask sent = new SchedulerInstruction.ComputeTask("w1", "x", "inc", List.of(1L),
                Map.of(), TaskPriority.DEFAULT, Map.of(), "s", 1L << 40);
        SchedulerMessage.ComputeTask m = (SchedulerMessage.ComputeTask) codec.decode(
                codec.encode(List.of(WireMapping.toMessage(sent)))).get(0);
        assertEquals(1L << 40, m.runId());
        assertEquals(sent, WireMapping.fromMessage("w1", m));
    }

    @Test
    void aWorkersAnswerNamesItsRunIdAtTheScheduler() throws Exception {
        WorkerInstruction finished = new WorkerInstruction.TaskFinishedMsg("x", 8, "java.lang.Long", List.of(), "f", 7);
        WorkerInstruction erred = new WorkerInstruction.TaskErredMsg("x", "boom", "trace", List.of(), "e", 9);
        WorkerInstruction seceded = new WorkerInstruction.LongRunningMsg("x", "l", 11);
        for (WorkerInstruction sent : List.of(finished, erred, seceded)) {
            WorkerMessage m = (WorkerMessage) codec.decode(codec.encode(List.of(WireMapping.toMessage(sent)))).get(0);
            assertEquals(sent, WireMapping.fromMessage(m));
        }
    }
}
