package org.weft.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;

class BundleMessageTest {

    private final Codec codec = new Codec();

    @Test
    void everyDepotMessageReadsBackEqualWithItsBytesAsBytes() throws Exception {
        byte[] jar = new byte[70_000];
        new Random(7).nextBytes(jar);
        List<Message> batch = List.of(new BundleMessage.InstallBundle("org.example.fn", "1.2.0", "ab12", jar),
                new BundleMessage.UninstallBundle("org.example.old"),
                new BundleMessage.DepotSync(List.of("org.example.fn")),
                new BundleMessage.BundleState("org.example.fn", "ab12", BundleMessage.State.FAILED,
                        "missing requirement osgi.wiring.package=org.nowhere"));
        List<Message> back = codec.decode(codec.encode(batch));
        BundleMessage.InstallBundle install = (BundleMessage.InstallBundle) back.get(0);
        assertEquals("org.example.fn", install.symbolicName());
        assertEquals("1.2.0", install.version());
        assertArrayEquals(jar, install.bytes());
        assertEquals(batch.subList(1, 4), back.subList(1, 4));
    }

    @Test
    void theOpsAreNamedAsDocumented() throws Exception {
        ObjectMapper smile = new ObjectMapper(new SmileFactory());
        byte[] frame = smile.writeValueAsBytes(List.of(Map.of("op", "uninstall-bundle", "symbolicName", "a"),
                Map.of("op", "depot-sync"), Map.of("op", "bundle-state", "symbolicName", "a", "sha256", "00", "state",
                        "ACTIVE"), Map.of("op", "install-bundle", "symbolicName", "a")));
        List<Message> back = codec.decode(frame);
        assertEquals(new BundleMessage.UninstallBundle("a"), back.get(0));
        assertEquals(new BundleMessage.DepotSync(List.of()), back.get(1));
        assertEquals(new BundleMessage.BundleState("a", "00", BundleMessage.State.ACTIVE, null), back.get(2));
        assertEquals(0, ((BundleMessage.InstallBundle) back.get(3)).bytes().length);
    }

    @Test
    void anUnknownStateIsAProtocolError() throws Exception {
        ObjectMapper smile = new ObjectMapper(new SmileFactory());
        byte[] frame = smile.writeValueAsBytes(List.of(Map.of("op", "bundle-state", "symbolicName", "a", "state", "HAPPY")));
        assertThrows(ProtocolException.class, () -> codec.decode(frame));
    }

    @Test
    void onlyAWorkerOrNannyReportsBundleStatesAndOnlyTheSchedulerSendsBundles() {
        Message state = new BundleMessage.BundleState("a", "00", BundleMessage.State.ACTIVE, null);
        Message install = new BundleMessage.InstallBundle("a", "1", "00", new byte[1]);
        assertTrue(Role.WORKER.maySend(state));
        assertFalse(Role.WORKER.maySend(install));
        assertFalse(Role.WORKER.maySend(new BundleMessage.DepotSync(List.of())));
        assertFalse(Role.CLIENT.maySend(install));
        assertFalse(Role.CLIENT.maySend(state));
        assertFalse(Role.PEER.maySend(state));
        assertTrue(Role.NANNY.maySend(state));
        assertFalse(Role.NANNY.maySend(install));
        assertFalse(Role.NANNY.maySend(new WorkerMessage.Heartbeat(java.util.Map.of())), "a nanny sends nothing else");
        assertTrue(Role.SCHEDULER.maySend(install));
        assertTrue(Role.SCHEDULER.maySend(new BundleMessage.UninstallBundle("a")));
        assertFalse(Role.SCHEDULER.maySend(state));
    }

    @Test
    void mutatedDepotFramesAreProtocolErrorsOrMessagesNeverAnotherException() {
        byte[] frame = codec.encode(List.of(new BundleMessage.InstallBundle("a", "1", "00", new byte[300]),
                new BundleMessage.BundleState("a", "00", BundleMessage.State.ACTIVE, null)));
        Random random = new Random(14);
        for (int i = 0; i < 5_000; i++) {
            byte[] mutated = frame.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(4) == 0 ? random.nextInt(mutated.length) : mutated.length;
            try {
                codec.decode(mutated, 0, length);
            } catch (ProtocolException expected) {
                // refused as a protocol error: the link would close with the reason
            }
        }
    }
}
