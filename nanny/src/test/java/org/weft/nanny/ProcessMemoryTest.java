package org.weft.nanny;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

    @Test
    void readsThisJvmsResidentMemory() {
        assumeTrue(ProcessMemory.supported(), "no /proc here");
        long rss = ProcessMemory.residentBytes(ProcessHandle.current().pid());
        assertTrue(rss > 1024 * 1024 && rss < Runtime.getRuntime().maxMemory() * 4, "rss " + rss);
    }

    @Test
    void aProcessThatIsGoneHasNone() {
        assertEquals(-1, ProcessMemory.residentBytes(Long.MAX_VALUE));
    }

    @Test
    void parsesAndDescribesSizes() {
        assertEquals(123456L * 1024, ProcessMemory.parseKilobytes("\t 123456 kB"));
        assertEquals("1.5 GiB", ProcessMemory.describe(3L << 29));
        assertEquals("512 B", ProcessMemory.describe(512));
    }
}
