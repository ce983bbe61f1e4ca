package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** {@link CompactSet} behaves as a {@link LinkedHashSet}, order included, across its three representations. */
class CompactSetTest {

    @Test
    void randomOperationsMatchALinkedHashSet() {
        for (int seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            CompactSet<String> set = new CompactSet<>();
            LinkedHashSet<String> model = new LinkedHashSet<>();
            // small universes keep the set crossing 0/1/array/large boundaries both ways
            int universe = 1 + random.nextInt(3 * CompactSet.ARRAY_MAX);
            for (int step = 0; step < 2_000; step++) {
                String e = "k" + random.nextInt(universe);
                switch (random.nextInt(6)) {
                    case 0, 1, 2 -> assertEquals(model.add(e), set.add(e), "add " + e);
                    case 3 -> assertEquals(model.remove(e), set.remove(e), "remove " + e);
                    case 4 -> removeThroughIterator(set, model, random);
                    default -> {
                        if (random.nextInt(20) == 0) {
                            set.clear();
                            model.clear();
                        }
                    }
                }
                assertEquals(model.contains(e), set.contains(e));
                assertEquals(model.isEmpty() ? null : model.iterator().next(), set.first());
                assertEquals(model.size(), set.size());
                assertEquals(model.isEmpty(), set.isEmpty());
                assertEquals(new ArrayList<>(model), new ArrayList<>(set), "seed " + seed + " step " + step);
            }
        }
    }

    private static void removeThroughIterator(CompactSet<String> set, LinkedHashSet<String> model, Random random) {
        if (model.isEmpty()) {
            return;
        }
        int victim = random.nextInt(model.size());
        Iterator<String> it = set.iterator();
        Iterator<String> modelIt = model.iterator();
        for (int i = 0; i <= victim; i++) {
            assertEquals(modelIt.next(), it.next());
        }
        it.remove();
        modelIt.remove();
        List<String> rest = new ArrayList<>();
        it.forEachRemaining(rest::add);
        List<String> modelRest = new ArrayList<>();
        modelIt.forEachRemaining(modelRest::add);
        assertEquals(modelRest, rest);
    }

    @Test
    void nullIsNeitherAddedNorFound() {
        CompactSet<String> set = new CompactSet<>();
        assertThrows(NullPointerException.class, () -> set.add(null));
        assertFalse(set.contains(null));
        assertFalse(set.remove(null));
    }

    @Test
    void iteratorFailsFastOnOutsideModification() {
        for (int n : new int[] {1, 3, CompactSet.ARRAY_MAX + 2}) {
            CompactSet<Integer> set = new CompactSet<>();
            for (int i = 0; i < n; i++) {
                set.add(i);
            }
            Iterator<Integer> it = set.iterator();
            it.next();
            set.add(-1);
            assertThrows(ConcurrentModificationException.class, it::next, "size " + n);
        }
    }

    @Test
    void iteratorRemoveTwiceAndNextPastTheEndAreRefused() {
        CompactSet<Integer> set = new CompactSet<>();
        set.add(1);
        Iterator<Integer> it = set.iterator();
        assertThrows(IllegalStateException.class, it::remove);
        assertEquals(1, it.next());
        it.remove();
        assertThrows(IllegalStateException.class, it::remove);
        assertThrows(NoSuchElementException.class, it::next);
        assertTrue(set.isEmpty());
    }
}
