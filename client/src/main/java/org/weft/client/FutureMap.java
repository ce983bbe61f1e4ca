package org.weft.client;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link Client#compute(Graph)} returns: the futures by key, in the graph's order, read-only.
 * A view over the list of futures, indexed by key only on the first lookup: a million-task graph
 * whose futures are only iterated (to wait on them, to gather them) costs no map entry per key.
 */
final class FutureMap extends AbstractMap<String, WeftFuture> {

    private final List<WeftFuture> futures;
    private Map<String, WeftFuture> index; // built on the first lookup by key

    /** @param futures distinct keys, in order; no one modifies the list afterwards */
    FutureMap(List<WeftFuture> futures) {
        this.futures = Collections.unmodifiableList(futures);
    }

    @Override
    public int size() {
        return futures.size();
    }

    @Override
    public WeftFuture get(Object key) {
        return index().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return index().containsKey(key);
    }

    private synchronized Map<String, WeftFuture> index() {
        if (index == null) {
            Map<String, WeftFuture> byKey = new HashMap<>(futures.size() * 2);
            for (WeftFuture f : futures) {
                byKey.put(f.key(), f);
            }
            index = byKey;
        }
        return index;
    }

    @Override
    public Collection<WeftFuture> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<WeftFuture> iterator() {
                return futures.iterator();
            }

            @Override
            public int size() {
                return futures.size();
            }
        };
    }

    @Override
    public Set<Entry<String, WeftFuture>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, WeftFuture>> iterator() {
                Iterator<WeftFuture> it = futures.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Entry<String, WeftFuture> next() {
                        WeftFuture f = it.next();
                        return Map.entry(f.key(), f);
                    }
                };
            }

            @Override
            public int size() {
                return futures.size();
            }
        };
    }
}
