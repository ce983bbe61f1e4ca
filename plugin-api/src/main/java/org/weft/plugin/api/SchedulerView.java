package org.weft.plugin.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A read-only window on the live scheduler state, handed to {@link SchedulerPlugin#start}.
 *
 * <p>Only call it on the scheduler loop thread, i.e. from a synchronous hook. The maps are live
 * and unmodifiable: what they show is the state right after the transition being reported. During
 * a transition to {@code forgotten} the forgotten task can still be read by key.
 *
 * @since 1.0
 */
@ProviderType
public interface SchedulerView {

    /** Every task the scheduler knows, by key. */
    Map<String, ? extends TaskView> tasks();

    /** Every connected worker, by address. */
    Map<String, ? extends WorkerInfo> workers();

    /** The ids of the connected clients. */
    Set<String> clients();

    /** What happened to a key: the transitions still in the bounded log, oldest first. */
    List<TransitionRecord> story(String key);
}
