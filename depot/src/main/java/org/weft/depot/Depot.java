package org.weft.depot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The bundles registered for the cluster, one per symbolic name (a newer revision replaces the
 * older). Thread-safe; listeners hear each change in order, under the depot's lock, so what they
 * send follows the order of the changes.
 */
public final class Depot {

    /** A change: {@code before} null for an added bundle, {@code after} null for a removed one. */
    public record Change(DepotBundle before, DepotBundle after) {
    }

    private final Map<String, DepotBundle> bundles = new LinkedHashMap<>();
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

    public void listen(Consumer<Change> listener) {
        listeners.add(listener);
    }

    /**
     * Adds a bundle, or replaces the one with its symbolic name.
     *
     * @return the change, or null when the same bytes were there already
     */
    public synchronized Change put(DepotBundle bundle) {
        DepotBundle before = bundles.get(bundle.symbolicName());
        if (before != null && before.sha256().equals(bundle.sha256())) {
            return null;
        }
        bundles.put(bundle.symbolicName(), bundle);
        Change change = new Change(before, bundle);
        listeners.forEach(l -> l.accept(change));
        return change;
    }

    /** Removes the bundle with this symbolic name; null if there was none. */
    public synchronized Change remove(String symbolicName) {
        DepotBundle before = bundles.remove(symbolicName);
        if (before == null) {
            return null;
        }
        Change change = new Change(before, null);
        listeners.forEach(l -> l.accept(change));
        return change;
    }

    public synchronized DepotBundle get(String symbolicName) {
        return bundles.get(symbolicName);
    }

    /** The bundles in the order they were first added. */
    public synchronized List<DepotBundle> bundles() {
        return new ArrayList<>(bundles.values());
    }
}
