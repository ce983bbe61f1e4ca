package org.weft.depot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Set;
import java.util.jar.JarInputStream;

import org.junit.jupiter.api.Test;

class JarWrapperTest {

    @Test
    void aPlainJarBecomesABundleProvidingItsAnnotatedFunctionsWithImportsComputed() throws Exception {
        byte[] plain = TestJars.plain().classOf(Square.class).entry("data/readme.txt", "kept").build();
        byte[] bundle = JarWrapper.wrap(plain, "/tmp/build/my-squares-2.1.0-SNAPSHOT.jar");
        BundleFacts facts = BundleFacts.read(bundle);
        assertEquals("my-squares", facts.symbolicName());
        assertEquals("2.1.0.SNAPSHOT", facts.version());
        assertEquals(Set.of("square"), facts.functions());
        assertTrue(facts.travels());
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bundle))) {
            var main = in.getManifest().getMainAttributes();
            assertTrue(main.getValue("Import-Package").contains("org.weft.plugin.api"), main.getValue("Import-Package"));
            assertEquals(null, main.getValue("Export-Package"), "a wrapped jar exports nothing");
            assertTrue(!main.getValue("Import-Package").contains("org.weft.depot"), "nor imports its own packages");
        }
    }

    @Test
    void aJarThatIsABundleAlreadyIsTakenAsItIs() {
        byte[] bundle = TestJars.bundle("b", "1").build();
        assertArrayEquals(bundle, JarWrapper.wrap(bundle, "b.jar"));
    }

    @Test
    void aJarWithoutAnnotatedFunctionsOrWithAWrongOneSaysWhy() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> JarWrapper.wrap(TestJars.plain().entry("a.txt", "x").build(), "lib.jar"));
        assertTrue(none.getMessage().contains("no class annotated @TaskFunctionName"), none.getMessage());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> JarWrapper.wrap(TestJars.plain().classOf(NotAFunction.class).build(), "lib.jar"));
        assertTrue(wrong.getMessage().contains("does not implement org.weft.plugin.api.TaskFunction"), wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JarWrapper.wrap("not a jar".getBytes(), "x.jar"));
    }

    @Test
    void namesAndVersionsComeFromTheFileName() {
        assertEquals(List.of("lib", "0.0.0"), List.of(JarWrapper.nameAndVersion("lib.jar")));
        assertEquals(List.of("lib", "1.0.0"), List.of(JarWrapper.nameAndVersion("lib-1.jar")));
        assertEquals(List.of("commons-math", "3.6.1"), List.of(JarWrapper.nameAndVersion("commons-math-3.6.1.jar")));
        assertEquals(List.of("a_b", "0.0.0"), List.of(JarWrapper.nameAndVersion("a b.jar")));
    }
}
