package org.weft.protocol;

import java.util.List;
import java.util.Map;

/** Results moving between processes: a worker (or the scheduler, for a client) asks a worker for keys it holds. */
public sealed interface DataMessage extends Message {

    /** Send me these keys' results. */
    record GetData(long id, List<String> keys) implements DataMessage {
    }

    /**
     * The answer to {@link GetData} with the same id: each held key's value as encoded by
     * {@link Values#encode}; keys not held are listed in {@code missing}.
     */
    record Data(long id, Map<String, byte[]> data, List<String> missing) implements DataMessage {
        public Data {
            data = data == null ? Map.of() : data;
            missing = missing == null ? List.of() : missing;
        }
    }
}
