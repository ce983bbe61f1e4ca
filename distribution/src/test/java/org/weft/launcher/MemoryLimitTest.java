package org.weft.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryLimitTest {

    private static final long MACHINE = 16L << 30;

    @Test
    void sizesAreDecimalUnlessNamedBinaryAsInDask() {
        assertEquals(2_000_000_000L, MemoryLimit.parse("2G", MACHINE));
        assertEquals(2_000_000_000L, MemoryLimit.parse("2GB", MACHINE));
        assertEquals(2_000_000_000L, MemoryLimit.parse("2e9", MACHINE));
        assertEquals(2L << 30, MemoryLimit.parse("2GiB", MACHINE));
        assertEquals(1536L << 20, MemoryLimit.parse("1.5 gib", MACHINE));
        assertEquals(800_000_000L, MemoryLimit.parse("800M", MACHINE));
        assertEquals(3_000_000L, MemoryLimit.parse("3000k", MACHINE));
        assertEquals(5_000_000L, MemoryLimit.parse("5000000", MACHINE));
    }

    @Test
    void aShareIsOfThisMachinesMemory() {
        assertEquals(MACHINE * 80 / 100, MemoryLimit.parse("80%", MACHINE));
        assertTrue(MemoryLimit.machineBytes() > 1 << 20);
    }

    @Test
    void noneAndZeroMeanNoLimit() {
        assertEquals(0, MemoryLimit.parse("none", MACHINE));
        assertEquals(0, MemoryLimit.parse("0", MACHINE));
    }

    @Test
    void badValuesSayWhatIsExpected() {
        for (String bad : new String[] {"lots", "2X", "-1G", "150%", "0%", "5i", "100", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryLimit.parse(bad, MACHINE), bad);
            assertTrue(e.getMessage().startsWith("--memory-limit"), e.getMessage());
        }
    }
}
