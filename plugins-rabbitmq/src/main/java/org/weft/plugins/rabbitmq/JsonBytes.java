package org.weft.plugins.rabbitmq;

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

    /** A JSON string (quoted, escaped, UTF-8), or {@code null}. */
    JsonBytes string(String s) {
        if (s == null) {
            return raw(NULL);
        }
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
