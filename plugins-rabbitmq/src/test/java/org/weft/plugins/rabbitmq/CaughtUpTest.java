package org.weft.plugins.rabbitmq;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionEvent;

/** {@link TransitionPublisher#caughtUp}: true once its thread took every transition handed to it (what a benchmark waits for). */
class CaughtUpTest {

    @TempDir
    Path buffer;

    @Test
    void caughtUpOnceEveryTransitionIsTakenAndBufferedWhileTheBrokerIsDown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (TransitionPublisher publisher = TransitionPublisher.open(Map.of("enabled", "true",
                "uri", "amqp://127.0.0.1:" + closedPort, "closeTimeoutMillis", "0", "buffer.memoryMessages", "1000"), buffer)) {
            SchedulerPlugin plugin = publisher.plugin();
            int n = 50_000; // beyond the memory buffer: the rest is spilled by the taker before it counts as taken
            for (int i = 0; i < n; i++) {
                plugin.transition(new TransitionEvent("k-" + i, SchedulerTaskState.PROCESSING, SchedulerTaskState.MEMORY,
                        "s-" + i, "w", -1, null, List.of(), null, null));
            }
            assertEquals(n, publisher.offered());
            await().atMost(Duration.ofSeconds(30)).until(publisher::caughtUp);
            assertEquals(n, publisher.taken());
            String status = publisher.statusText();
            assertEquals(true, status.contains("1000 in memory") && status.contains((n - 1000) + " on disk"), status);
        }
    }
}
