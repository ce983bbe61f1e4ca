package org.weft.worker.process;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.protocol.DataMessage;
import org.weft.protocol.Link;
import org.weft.protocol.UnencodableValueException;
import org.weft.protocol.Values;
import org.weft.worker.WorkerNode;

/** Answers a {@link DataMessage.GetData} from the results a worker holds: for its peers, and for the scheduler gathering for a client. */
final class DataServer {

    private static final Logger LOG = LoggerFactory.getLogger(DataServer.class);

    private DataServer() {
    }

    static void answer(WorkerNode node, DataMessage.GetData ask, Link link, WorkerFigures figures) {
        node.collect(ask.keys(), held -> {
            Map<String, byte[]> data = new LinkedHashMap<>(held.size() * 2);
            List<String> missing = new ArrayList<>();
            for (String key : ask.keys()) {
                if (!held.containsKey(key)) {
                    missing.add(key);
                    continue;
                }
                try {
                    data.put(key, Values.encode(held.get(key)));
                } catch (UnencodableValueException e) {
                    LOG.error("worker {} cannot send the result of {}: {}", node.address(), key, e.getMessage());
                    missing.add(key);
                }
            }
            figures.sent(data.values().stream().mapToLong(b -> b.length).sum());
            link.send(new DataMessage.Data(ask.id(), data, missing));
        });
    }
}
