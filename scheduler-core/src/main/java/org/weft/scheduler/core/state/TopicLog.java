package org.weft.scheduler.core.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.weft.plugin.api.LogEvent;

/**
 * The scheduler's structured event log (Dask's {@code Scheduler.events}): the most recent events
 * of each topic, a count per topic of every event ever logged, and the clients subscribed to each
 * topic. Pure bookkeeping; {@link SchedulerState} tells plugins and subscribers.
 */
final class TopicLog {

    /** Events kept per topic; older ones are dropped (the count keeps them). */
    static final int DEFAULT_CAPACITY = 1_000;

    private final int capacity;
    private final Map<String, ArrayDeque<LogEvent>> byTopic = new TreeMap<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, Set<String>> subscribers = new TreeMap<>();

    TopicLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the event log must keep at least one event per topic");
        }
        this.capacity = capacity;
    }

    void add(LogEvent event) {
        ArrayDeque<LogEvent> events = byTopic.computeIfAbsent(event.topic(), t -> new ArrayDeque<>());
        if (events.size() == capacity) {
            events.removeFirst();
        }
        events.addLast(event);
        counts.merge(event.topic(), 1L, Long::sum);
    }

    /** The kept events of {@code topic}, oldest first; empty for an unknown topic. */
    List<LogEvent> events(String topic) {
        ArrayDeque<LogEvent> events = byTopic.get(topic);
        return events == null ? List.of() : List.copyOf(events);
    }

    /** Every topic ever logged to, sorted, with how many events it got in all. */
    Map<String, Long> counts() {
        return Collections.unmodifiableMap(new TreeMap<>(counts));
    }

    void subscribe(String client, String topic) {
        subscribers.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(client);
    }

    void unsubscribe(String client, String topic) {
        Set<String> clients = subscribers.get(topic);
        if (clients != null && clients.remove(client) && clients.isEmpty()) {
            subscribers.remove(topic);
        }
    }

    /** The client left: it is subscribed to nothing any more. */
    void unsubscribeAll(String client) {
        Iterator<Set<String>> it = subscribers.values().iterator();
        while (it.hasNext()) {
            Set<String> clients = it.next();
            if (clients.remove(client) && clients.isEmpty()) {
                it.remove();
            }
        }
    }

    /** The clients subscribed to {@code topic}; empty if none. */
    Collection<String> subscribers(String topic) {
        Set<String> clients = subscribers.get(topic);
        return clients == null ? List.of() : new ArrayList<>(clients);
    }

    /**
     * Checks a message is JSON-able: null, a string, number or boolean, or a list or map (string
     * keys) of those.
     *
     * @throws IllegalArgumentException naming what is not
     */
    static void requireJsonable(Object message) {
        if (message == null || message instanceof String || message instanceof Number || message instanceof Boolean) {
            return;
        }
        if (message instanceof Collection<?> c) {
            for (Object o : c) {
                requireJsonable(o);
            }
            return;
        }
        if (message instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("an event message's map keys must be strings, not "
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
                }
                requireJsonable(e.getValue());
            }
            return;
        }
        throw new IllegalArgumentException("an event message must be JSON-able (string, number, boolean, list, map),"
                + " not " + message.getClass().getName());
    }
}
