package org.weft.preload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weft.preload.PreloadSpec.Kind;

class PreloadSpecTest {

    @Test
    void aJarAClassOrASnippet() {
        assertEquals(Kind.JAR, PreloadSpec.parse("/opt/weft/scheduler-setup.jar").kind());
        assertEquals(Kind.JAR, PreloadSpec.parse("relative/Setup.JAR").kind());
        assertEquals(Kind.CLASS, PreloadSpec.parse("org.weft.examples.PrintWorkers").kind());
        assertEquals(Kind.CLASS, PreloadSpec.parse(" Setup ").kind());
        assertEquals(Kind.SNIPPET, PreloadSpec.parse("System.setProperty(\"A\", \"b\");").kind());
        assertEquals(Kind.SNIPPET, PreloadSpec.parse("int x = 1;").kind());
        assertEquals("Setup", PreloadSpec.parse(" Setup ").text());
    }

    @Test
    void anEmptyPreloadIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreloadSpec.parse("  "));
        assertTrue(e.getMessage().contains("must not be empty"), e.getMessage());
    }

    @Test
    void aLongSnippetIsShortenedInItsLabel() {
        String label = PreloadSpec.parse("System.setProperty(\"A\",\n \"" + "x".repeat(100) + "\");").label();
        assertTrue(label.startsWith("snippet 'System.setProperty(\"A\", \"xx"), label);
        assertTrue(label.endsWith("...'") && label.length() < 80, label);
        assertEquals("com.example.Setup", PreloadSpec.parse("com.example.Setup").label());
    }
}
