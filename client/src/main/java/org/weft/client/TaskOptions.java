package org.weft.client;

import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Per-submission options for {@link Client#submit(TaskOptions, String, Object...)}, as Dask's
 * {@code client.submit(..., key=, retries=, priority=, workers=, allow_other_workers=, resources=)}.
 *
 * <pre>{@code
 * client.submit(TaskOptions.key("total").withRetries(2), "sum", parts);
 * client.submit(TaskOptions.defaults().withResources(Map.of("GPU", 1.0)).withPriority(10), "train", data);
 * }</pre>
 *
 * @param key the task's key, or null to let the client generate {@code function-<token>}
 * @param retries how many times the scheduler retries the task after an error, {@code >= 0}
 * @param priority higher runs first; default 0
 * @param workers worker addresses or host names the task may run on; empty: any
 * @param allowOtherWorkers whether the task may run elsewhere when none of {@code workers} is there
 *        (Dask's loose restrictions; resources stay strict)
 * @param resources abstract resources the task holds while it runs, e.g. {@code GPU=1}; the task
 *        only runs on workers offering them, and only while they are free there
 * @since 1.0
 */
@ProviderType
public record TaskOptions(String key, int retries, int priority, Set<String> workers, boolean allowOtherWorkers,
        Map<String, Double> resources) {

    /** Validates the options. */
    public TaskOptions {
        if (key != null && key.isEmpty()) {
            throw new IllegalArgumentException("task key must not be empty");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        workers = workers == null ? Set.of() : Set.copyOf(workers);
        resources = resources == null ? Map.of() : Map.copyOf(resources);
    }

    /** A key and retries; no priority, restrictions or resources. */
    public TaskOptions(String key, int retries) {
        this(key, retries, 0, Set.of(), false, Map.of());
    }

    /** A generated key and no retries. */
    public static TaskOptions defaults() {
        return new TaskOptions(null, 0);
    }

    /** An explicit key and no retries. */
    public static TaskOptions key(String key) {
        return new TaskOptions(key, 0);
    }

    /** A generated key and the given retries. */
    public static TaskOptions retries(int retries) {
        return new TaskOptions(null, retries);
    }

    /** These options with another key (null: generated). */
    public TaskOptions withKey(String newKey) {
        return new TaskOptions(newKey, retries, priority, workers, allowOtherWorkers, resources);
    }

    /** These options with another retry count. */
    public TaskOptions withRetries(int newRetries) {
        return new TaskOptions(key, newRetries, priority, workers, allowOtherWorkers, resources);
    }

    /** These options with another priority (higher runs first). */
    public TaskOptions withPriority(int newPriority) {
        return new TaskOptions(key, retries, newPriority, workers, allowOtherWorkers, resources);
    }

    /** These options restricted to these worker addresses or hosts. */
    public TaskOptions withWorkers(String... addressesOrHosts) {
        return new TaskOptions(key, retries, priority, Set.of(addressesOrHosts), allowOtherWorkers, resources);
    }

    /** These options with loose (true) or strict (false) worker restrictions. */
    public TaskOptions withAllowOtherWorkers(boolean allow) {
        return new TaskOptions(key, retries, priority, workers, allow, resources);
    }

    /** These options asking for these abstract resources, e.g. {@code Map.of("GPU", 1.0)}. */
    public TaskOptions withResources(Map<String, Double> newResources) {
        return new TaskOptions(key, retries, priority, workers, allowOtherWorkers, newResources);
    }

    /** The scheduler's task for these options. */
    org.weft.protocol.TaskSpec toSpec(String taskKey, String function, java.util.List<Object> args) {
        return new org.weft.protocol.TaskSpec(taskKey, function, args, retries, priority, workers, allowOtherWorkers,
                resources);
    }
}
