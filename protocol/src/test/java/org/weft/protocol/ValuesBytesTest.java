package org.weft.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** A {@code byte[]} value is encoded without the mapper, to exactly the bytes the mapper writes. */
class ValuesBytesTest {

    @Test
    void aByteArrayIsEncodedAsTheMapperEncodesItAndDecodesBack() throws Exception {
        Random random = new Random(7);
        for (int n : new int[] {0, 1, 63, 64, 65, 127, 128, 8191, 8192, 8193, 1 << 20, (1 << 20) + 13, 3_000_017}) {
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);

            byte[] encoded = Values.encode(bytes);

            assertArrayEquals(Values.MAPPER.writeValueAsBytes(bytes), encoded, "a byte[] of " + n);
            assertEquals(encoded.length, Values.encodedSize(bytes), "its size, " + n);
            assertArrayEquals(bytes, (byte[]) Values.decode(encoded), "decoded, " + n);
        }
    }
}
