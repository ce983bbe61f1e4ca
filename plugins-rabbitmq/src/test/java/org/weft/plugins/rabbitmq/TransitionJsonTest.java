package org.weft.plugins.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The body written straight into bytes: as documented, UTF-8, every character escaped as JSON wants. */
class TransitionJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static TransitionEvent event(String key, String worker) {
        return new TransitionEvent(key, SchedulerTaskState.PROCESSING, SchedulerTaskState.MEMORY, "task-finished-1",
                worker, -1, null, List.of(), null, null);
    }

    @Test
    void theDocumentedFieldsInOrder() {
        byte[] body = TransitionJson.encode(event("inc-42", "local-1"), 1_796_530_000_023L, "weft-1a2b3c4d", 17);
        assertEquals("{\"key\":\"inc-42\",\"start\":\"processing\",\"finish\":\"memory\",\"stimulus_id\":"
                + "\"task-finished-1\",\"worker\":\"local-1\",\"time\":1796530000.023,\"scheduler\":\"weft-1a2b3c4d\","
                + "\"seq\":17}", new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void anyKeyComesBackAsItWasAndNoWorkerIsNull() throws Exception {
        String key = "q\"uote\\back\nline\ttab\u0001ctl-é-€-\uD83D\uDE00-('x', 3)";
        byte[] body = TransitionJson.encode(event(key, null), 1_000L, "s", Long.MAX_VALUE);
        JsonNode json = JSON.readTree(body);
        assertEquals(key, json.get("key").textValue());
        assertEquals(true, json.get("worker").isNull());
        assertEquals(Long.MAX_VALUE, json.get("seq").longValue());
        assertEquals(true, new String(body, StandardCharsets.UTF_8).contains(",\"time\":1.000,"), "milliseconds, 3 digits");
    }

    @Test
    void aLoneSurrogateIsWrittenAsStringGetBytesWritesIt() {
        String key = "a\uD800b";
        JsonBytes out = new JsonBytes(4);
        out.string(key);
        assertArrayEquals(("\"" + key + "\"").getBytes(StandardCharsets.UTF_8), out.toArray());
    }

    @Test
    void theSpillFileWritesTheBodyWithoutKeepingIt() {
        OutboundMessage m = OutboundMessage.of(event("k", "w"), 5_000L, "s", 3);
        JsonBytes out = new JsonBytes(8);
        m.writeBody(out);
        assertArrayEquals(TransitionJson.encode(event("k", "w"), 5_000L, "s", 3), out.toArray());
        assertArrayEquals(out.toArray(), m.body(new JsonBytes(1)), "encoded later, the same bytes");
    }
}
