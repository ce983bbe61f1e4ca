package org.weft.plugins.resourcemonitor;

/**
 * Dask's {@code key_split}, as the scheduler groups tasks: {@code inc-1f2e3d4c} → {@code inc},
 * {@code pi-chunk-17} → {@code pi-chunk}: the first word, then each further word made only of
 * letters, up to an empty word, another character, or an 8-digit hex token.
 */
final class KeyPrefix {

    private KeyPrefix() {
    }

    static String of(String key) {
        int end = key.indexOf('-');
        if (end < 0) {
            return key;
        }
        int prefixEnd = end;
        while (end < key.length()) {
            int start = end + 1;
            end = key.indexOf('-', start);
            if (end < 0) {
                end = key.length();
            }
            if (end == start || !letters(key, start, end) || (end - start == 8 && hex(key, start, end))) {
                break;
            }
            prefixEnd = end;
        }
        return key.substring(0, prefixEnd);
    }

    private static boolean letters(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isLetter(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
