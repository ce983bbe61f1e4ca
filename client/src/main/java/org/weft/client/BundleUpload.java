package org.weft.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the scheduler says of a bundle uploaded to its depot ({@link Client#uploadBundle},
 * {@link Client#uploadJar}): the bundle's identity, the task functions it provides, and its state
 * on each worker connected when it was sent.
 *
 * @param functions the task-function names it registers (as far as its DS descriptions say)
 * @param workers its state on each worker: ACTIVE, FAILED (with the cause, e.g. a missing
 *        requirement; that worker gets no task needing the bundle) or PENDING (no answer within
 *        the scheduler's wait)
 * @since 1.2
 */
@ProviderType
public record BundleUpload(String symbolicName, String version, String sha256, List<String> functions,
        List<WorkerState> workers) {

    /** The bundle on one worker. */
    public record WorkerState(String worker, String name, String state, String cause) {
    }

    public BundleUpload {
        functions = List.copyOf(functions);
        workers = List.copyOf(workers);
    }

    /** The workers where the bundle is not ACTIVE. */
    public List<WorkerState> notActive() {
        return workers.stream().filter(w -> !"ACTIVE".equals(w.state())).toList();
    }

    static BundleUpload fromWire(Map<String, Object> map) {
        List<String> functions = new ArrayList<>();
        if (map.get("functions") instanceof List<?> names) {
            names.forEach(n -> functions.add(String.valueOf(n)));
        }
        List<WorkerState> workers = new ArrayList<>();
        if (map.get("workers") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> w) {
                    workers.add(new WorkerState(string(w.get("worker")), string(w.get("name")), string(w.get("state")),
                            string(w.get("cause"))));
                }
            }
        }
        return new BundleUpload(string(map.get("symbolicName")), string(map.get("version")), string(map.get("sha256")),
                functions, workers);
    }

    private static String string(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
