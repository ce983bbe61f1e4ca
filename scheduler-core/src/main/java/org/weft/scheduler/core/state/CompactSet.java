package org.weft.scheduler.core.state;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A set for the scheduler's per-task relations (dependents, waiters, who wants, who has): almost
 * always empty or holding one or two elements, and there is one of each per task, for a million
 * tasks. A {@link java.util.HashSet} costs about 130 bytes and three objects even when empty; this
 * costs one 24-byte object while empty or holding one element, plus an array up to
 * {@value #ARRAY_MAX} elements (linear search), and only beyond that a {@link LinkedHashSet}.
 *
 * <p>Iteration is in insertion order at every size, so the scheduler's decisions do not depend on
 * hash codes. Null elements are not allowed. Not thread-safe; its iterator fails fast on a
 * modification made other than through it.
 */
final class CompactSet<E> extends AbstractSet<E> {

    static final int ARRAY_MAX = 8;
    /** {@link #count} while {@link #store} is a LinkedHashSet (which then keeps the size). */
    private static final int LARGE = -1;

    /** Null (count 0), the element (count 1), an {@code Object[]} (count 2..ARRAY_MAX) or a LinkedHashSet (LARGE). */
    private Object store;
    private int count;
    private int modCount;

    @Override
    public int size() {
        return count == LARGE ? large().size() : count;
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public boolean contains(Object o) {
        if (o == null) {
            return false;
        }
        return switch (count) {
            case 0 -> false;
            case 1 -> store.equals(o);
            case LARGE -> large().contains(o);
            default -> indexOf((Object[]) store, o) >= 0;
        };
    }

    @Override
    public boolean add(E e) {
        Objects.requireNonNull(e, "element");
        switch (count) {
            case 0 -> store = e;
            case 1 -> {
                if (store.equals(e)) {
                    return false;
                }
                Object[] array = new Object[4];
                array[0] = store;
                array[1] = e;
                store = array;
            }
            case LARGE -> {
                if (!large().add(e)) {
                    return false;
                }
                modCount++;
                return true;
            }
            default -> {
                Object[] array = (Object[]) store;
                if (indexOf(array, e) >= 0) {
                    return false;
                }
                if (count == ARRAY_MAX) {
                    LinkedHashSet<Object> set = new LinkedHashSet<>(ARRAY_MAX * 4);
                    set.addAll(Arrays.asList(array));
                    set.add(e);
                    store = set;
                    count = LARGE;
                    modCount++;
                    return true;
                }
                if (count == array.length) {
                    array = Arrays.copyOf(array, ARRAY_MAX);
                    store = array;
                }
                array[count] = e;
            }
        }
        count++;
        modCount++;
        return true;
    }

    @Override
    public boolean remove(Object o) {
        if (o == null) {
            return false;
        }
        switch (count) {
            case 0 -> {
                return false;
            }
            case 1 -> {
                if (!store.equals(o)) {
                    return false;
                }
                store = null;
            }
            case LARGE -> {
                if (!large().remove(o)) {
                    return false;
                }
                modCount++;
                return true;
            }
            default -> {
                int i = indexOf((Object[]) store, o);
                if (i < 0) {
                    return false;
                }
                removeAt(i);
            }
        }
        count--;
        modCount++;
        return true;
    }

    /** Removes the array element at {@code i} (count >= 2), keeping order; a single one left is stored bare. */
    private void removeAt(int i) {
        Object[] array = (Object[]) store;
        System.arraycopy(array, i + 1, array, i, count - i - 1);
        array[count - 1] = null;
        if (count == 2) {
            store = array[0];
        }
    }

    @Override
    public void clear() {
        if (size() > 0) {
            store = null;
            count = 0;
            modCount++;
        }
    }

    /** The first element in insertion order, without an iterator; null if empty. */
    @SuppressWarnings("unchecked")
    E first() {
        return switch (count) {
            case 0 -> null;
            case 1 -> (E) store;
            case LARGE -> large().isEmpty() ? null : large().iterator().next();
            default -> (E) ((Object[]) store)[0];
        };
    }

    @Override
    public Iterator<E> iterator() {
        return count == LARGE ? new LargeIterator() : new SmallIterator();
    }

    @SuppressWarnings("unchecked")
    private LinkedHashSet<E> large() {
        return (LinkedHashSet<E>) store;
    }

    private int indexOf(Object[] array, Object o) {
        for (int i = 0; i < count; i++) {
            if (array[i] == o || array[i].equals(o)) {
                return i;
            }
        }
        return -1;
    }

    private void checkForComodification(int expected) {
        if (modCount != expected) {
            throw new ConcurrentModificationException();
        }
    }

    /** Over the bare element or the array. */
    private final class SmallIterator implements Iterator<E> {
        private int next;
        private int expected = modCount;
        private boolean removable;

        @Override
        public boolean hasNext() {
            return next < count;
        }

        @Override
        @SuppressWarnings("unchecked")
        public E next() {
            checkForComodification(expected);
            if (next >= count) {
                throw new NoSuchElementException();
            }
            removable = true;
            Object e = count == 1 ? store : ((Object[]) store)[next];
            next++;
            return (E) e;
        }

        @Override
        public void remove() {
            checkForComodification(expected);
            if (!removable) {
                throw new IllegalStateException();
            }
            removable = false;
            next--;
            if (count == 1) {
                store = null;
            } else {
                removeAt(next);
            }
            count--;
            expected = ++modCount;
        }
    }

    /** Over the LinkedHashSet. */
    private final class LargeIterator implements Iterator<E> {
        private final Iterator<E> it = large().iterator();
        private int expected = modCount;

        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public E next() {
            checkForComodification(expected);
            return it.next();
        }

        @Override
        public void remove() {
            checkForComodification(expected);
            it.remove();
            expected = ++modCount;
        }
    }
}
