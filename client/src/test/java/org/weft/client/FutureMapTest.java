package org.weft.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@link FutureMap}: an ordered, read-only map of futures by key, indexed only when looked up. */
class FutureMapTest {

    @Test
    void behavesAsAnOrderedReadOnlyMap() {
        List<WeftFuture> list = new ArrayList<>();
        Map<String, WeftFuture> expected = new LinkedHashMap<>();
        for (String key : List.of("c", "a", "b")) {
            WeftFuture f = new WeftFuture(null, new KeyState(key));
            list.add(f);
            expected.put(key, f);
        }
        FutureMap map = new FutureMap(list);

        assertEquals(List.of("c", "a", "b"), new ArrayList<>(map.keySet()), "the graph's order");
        assertEquals(new ArrayList<>(expected.values()), new ArrayList<>(map.values()));
        assertEquals(expected, map);
        assertEquals(expected.hashCode(), map.hashCode());
        assertEquals(3, map.size());
        assertSame(list.get(1), map.get("a"));
        assertTrue(map.containsKey("b"));
        assertFalse(map.containsKey("z"));
        assertNull(map.get("z"));

        assertThrows(UnsupportedOperationException.class, () -> map.put("d", list.get(0)));
        assertThrows(UnsupportedOperationException.class, () -> map.remove("a"));
        Iterator<WeftFuture> values = map.values().iterator();
        values.next();
        assertThrows(UnsupportedOperationException.class, values::remove);
        Iterator<Map.Entry<String, WeftFuture>> entries = map.entrySet().iterator();
        assertThrows(UnsupportedOperationException.class, () -> entries.next().setValue(null));
    }
}
