package org.weft.local.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;

/** The demo's graph on a local cluster, whose workers check and copy values as worker processes would. */
class PiDemoTest {

    @Test
    void theDemoRunsOnALocalClusterThatChecksAndCopiesValues() {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.of(2).withValidation(true),
                TaskFunctionRegistry.withBuiltins());
                Client client = cluster.client()) {
            PiDemo.Result r = PiDemo.run(client, 64, 2_000, new PrintStream(progress, true, StandardCharsets.UTF_8), false);
            assertEquals(PiDemo.graph(64, 2_000, true).size(), r.tasks());
            assertTrue(Math.abs(r.pi() - Math.PI) < 0.1, "pi = " + r.pi());
        }
    }
}
