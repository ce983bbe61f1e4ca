package org.weft.plugins.rabbitmq;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.weft.plugin.api.SchedulerTaskState;

/**
 * Which transitions are published: {@code all}, or a list of {@code start->finish} pairs in Dask's
 * state names ({@code processing->memory, processing->erred}); {@code *} stands for any state.
 */
final class TransitionFilter {

    static final TransitionFilter ALL = new TransitionFilter(null, "all");

    /** Per start state, the finish states wanted; {@code null} means every pair. */
    private final Map<SchedulerTaskState, Set<SchedulerTaskState>> pairs;
    private final String text;

    private TransitionFilter(Map<SchedulerTaskState, Set<SchedulerTaskState>> pairs, String text) {
        this.pairs = pairs;
        this.text = text;
    }

    /** @throws IllegalArgumentException naming the part that is not a pair of known states */
    static TransitionFilter parse(String spec) {
        String trimmed = spec == null ? "" : spec.trim();
        if (trimmed.isEmpty() || trimmed.toLowerCase(Locale.ROOT).equals("all")) {
            return ALL;
        }
        Map<SchedulerTaskState, Set<SchedulerTaskState>> pairs = new TreeMap<>();
        for (String part : trimmed.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            int arrow = part.indexOf("->");
            if (arrow < 0) {
                throw new IllegalArgumentException("transitions: '" + part + "' is not start->finish (e.g. processing->memory)");
            }
            Set<SchedulerTaskState> starts = states(part.substring(0, arrow), part);
            Set<SchedulerTaskState> finishes = states(part.substring(arrow + 2), part);
            for (SchedulerTaskState s : starts) {
                pairs.computeIfAbsent(s, k -> EnumSet.noneOf(SchedulerTaskState.class)).addAll(finishes);
            }
        }
        return new TransitionFilter(pairs, trimmed);
    }

    private static Set<SchedulerTaskState> states(String name, String part) {
        if (name.equals("*")) {
            return EnumSet.allOf(SchedulerTaskState.class);
        }
        try {
            return EnumSet.of(SchedulerTaskState.parse(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("transitions: in '" + part + "': " + e.getMessage(), e);
        }
    }

    boolean wants(SchedulerTaskState start, SchedulerTaskState finish) {
        if (pairs == null) {
            return true;
        }
        Set<SchedulerTaskState> finishes = pairs.get(start);
        return finishes != null && finishes.contains(finish);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransitionFilter f && java.util.Objects.equals(pairs, f.pairs);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(pairs);
    }

    @Override
    public String toString() {
        return text;
    }
}
