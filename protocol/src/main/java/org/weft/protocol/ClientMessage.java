package org.weft.protocol;

import java.util.List;
import java.util.Map;

/** What a client sends the scheduler. */
public sealed interface ClientMessage extends Message {

    /**
     * One task of a graph.
     *
     * @param args plain values and {@link Ref}s to other tasks' results
     * @param workers the workers or hosts it may run on; empty: any
     * @param resources abstract resources it holds while it runs; empty: none
     */
    record Task(String key, String function, List<Object> args, int retries, int priority, List<String> workers,
            boolean looseRestrictions, Map<String, Double> resources) {
        public Task {
            args = args == null ? List.of() : args;
            workers = workers == null ? List.of() : workers;
            resources = resources == null ? Map.of() : resources;
        }
    }

    /** Tasks and the keys this client wants; answered by a reply with the same id (an error: the graph was refused). */
    record UpdateGraph(long id, List<Task> tasks, List<String> wanted) implements ClientMessage {
    }

    /** This client no longer wants these keys. */
    record ReleaseKeys(List<String> keys) implements ClientMessage {
    }

    /**
     * Any other request ({@code gather}, {@code cancel}, {@code restart}, {@code identity},
     * {@code story}, ...: docs/PROTOCOL.md lists them), answered by a reply with the same id.
     */
    record Call(long id, String method, Map<String, Object> params) implements ClientMessage {
        public Call {
            params = params == null ? Map.of() : params;
        }
    }
}
