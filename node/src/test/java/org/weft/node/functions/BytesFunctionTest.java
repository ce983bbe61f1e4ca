package org.weft.node.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.TaskFunction;

class BytesFunctionTest {

    private final TaskFunction bytes = TaskFunctionRegistry.withBuiltins().lookup("bytes");

    @Test
    void makesAResultOfTheSizeAsked() throws Exception {
        assertArrayEquals(new byte[] {1, 1, 1}, (byte[]) bytes.apply(List.of(3), null));
        assertArrayEquals(new byte[0], (byte[]) bytes.apply(List.of(0L), null));
    }

    @Test
    void refusesASizeNoArrayHas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bytes.apply(List.of(-1), null));
        assertTrue(e.getMessage().contains("bytes takes a size"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bytes.apply(List.of(1L << 32), null));
    }
}
