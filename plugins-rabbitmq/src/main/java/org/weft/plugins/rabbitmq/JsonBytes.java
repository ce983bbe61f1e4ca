package org.weft.plugins.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that JSON is written into directly, as UTF-8: no {@code StringBuilder},
 * no intermediate {@code String}, no copy but the final one. One per thread that encodes (the
 * publisher, the spill writer), reused for every message. Not thread-safe.
 */
final class JsonBytes {

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    private byte[] bytes;
    private int size;
    private final byte[] digits = new byte[19];
    private static final int CACHED = 64;
    private final String[] cachedStrings = new String[CACHED];
    private final byte[][] cachedUtf8 = new byte[CACHED][];

    JsonBytes(int capacity) {
        bytes = new byte[capacity];
    }

    int size() {
        return size;
    }

    byte[] array() {
        return bytes;
    }

    void clear() {
        size = 0;
    }

    /** A copy of what was written. */
    byte[] toArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    JsonBytes raw(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    JsonBytes raw(byte b) {
        room(1);
        bytes[size++] = b;
        return this;
    }

    /** ASCII text written as is (labels and field names: the caller knows they need no escaping). */
    JsonBytes ascii(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    JsonBytes number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return ascii(Long.toString(v));
            }
            raw((byte) '-');
            v = -v;
        }
        int i = digits.length; // the digits backwards, in one pass of divisions
        do {
            digits[--i] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        int n = digits.length - i;
        room(n);
        System.arraycopy(digits, i, bytes, size, n);
        size += n;
        return this;
    }

    /**
     * A JSON string (quoted, escaped, UTF-8), or {@code null}. Most strings (task keys, stimulus
     * ids, worker names) need no escape: they are copied as {@code String.getBytes(UTF_8)} gives
     * them (for a Latin-1 string the JDK checks and copies its bytes with vector instructions),
     * then checked for a quote, a backslash or a control character, which only a character-by-
     * character pass writes; the copy costs less than that pass, whose every {@code charAt} checks
     * the string's coder and bounds.
     */
    JsonBytes string(String s) {
        if (s == null) {
            return raw(NULL);
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (!needsEscape(utf8)) {
            room(utf8.length + 2);
            bytes[size++] = '"';
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
            bytes[size++] = '"';
            return this;
        }
        return escapedString(s);
    }

    /** Whether UTF-8 text holds a byte JSON escapes (the bytes of a multi-byte character are all negative). */
    private static boolean needsEscape(byte[] utf8) {
        for (byte b : utf8) {
            if (b >= 0 && (b < 0x20 || b == '"' || b == '\\')) {
                return true;
            }
        }
        return false;
    }

    /** {@link #string}, a character at a time, escaping what needs it. */
    private JsonBytes escapedString(String s) {
        int n = s.length();
        room(n + 2);
        bytes[size++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                bytes[size++] = (byte) c; // room for one byte per char was made above
                continue;
            }
            room(n - i + 12); // an escape or a multi-byte character, then the rest and the quote
            switch (c) {
                case '"' -> escaped('"');
                case '\\' -> escaped('\\');
                case '\n' -> escaped('n');
                case '\r' -> escaped('r');
                case '\t' -> escaped('t');
                default -> {
                    if (c < 0x20) {
                        bytes[size++] = '\\';
                        bytes[size++] = 'u';
                        bytes[size++] = '0';
                        bytes[size++] = '0';
                        bytes[size++] = HEX[c >> 4];
                        bytes[size++] = HEX[c & 0xf];
                    } else if (c < 0x800) {
                        bytes[size++] = (byte) (0xc0 | c >> 6);
                        bytes[size++] = (byte) (0x80 | c & 0x3f);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, s.charAt(++i));
                        bytes[size++] = (byte) (0xf0 | cp >> 18);
                        bytes[size++] = (byte) (0x80 | cp >> 12 & 0x3f);
                        bytes[size++] = (byte) (0x80 | cp >> 6 & 0x3f);
                        bytes[size++] = (byte) (0x80 | cp & 0x3f);
                    } else if (Character.isSurrogate(c)) {
                        bytes[size++] = '?'; // a lone surrogate, as String.getBytes(UTF_8) writes it
                    } else {
                        bytes[size++] = (byte) (0xe0 | c >> 12);
                        bytes[size++] = (byte) (0x80 | c >> 6 & 0x3f);
                        bytes[size++] = (byte) (0x80 | c & 0x3f);
                    }
                }
            }
        }
        raw((byte) '"');
        return this;
    }

    private void escaped(char c) {
        bytes[size++] = '\\';
        bytes[size++] = (byte) c;
    }

    /** A string as {@code int length} (-1 for {@code null}) and its UTF-8 bytes: no escaping, for the spill file. */
    JsonBytes utf8(String s) {
        if (s == null) {
            return int32(-1);
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        int32(utf8.length);
        return raw(utf8);
    }

    /**
     * {@link #utf8}, for strings that come again and again as the same object (state labels, worker
     * names): their bytes are kept in {@value #CACHED} slots chosen by the string's hash (which a
     * string keeps once computed) and found there by identity; another string in the slot replaces it.
     */
    JsonBytes utf8Cached(String s) {
        if (s == null) {
            return int32(-1);
        }
        int slot = s.hashCode() & (CACHED - 1);
        if (cachedStrings[slot] != s) {
            cachedUtf8[slot] = s.getBytes(StandardCharsets.UTF_8);
            cachedStrings[slot] = s;
        }
        byte[] utf8 = cachedUtf8[slot];
        return int32(utf8.length).raw(utf8);
    }

    /** Big-endian, as {@code DataOutputStream}. */
    void putInt(int at, int v) {
        bytes[at] = (byte) (v >>> 24);
        bytes[at + 1] = (byte) (v >>> 16);
        bytes[at + 2] = (byte) (v >>> 8);
        bytes[at + 3] = (byte) v;
    }

    JsonBytes int32(int v) {
        room(4);
        putInt(size, v);
        size += 4;
        return this;
    }

    JsonBytes int64(long v) {
        int32((int) (v >>> 32));
        return int32((int) v);
    }

    JsonBytes int16(int v) {
        room(2);
        bytes[size++] = (byte) (v >>> 8);
        bytes[size++] = (byte) v;
        return this;
    }
}
