package org.weft.preload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.plugin.api.Preload;
import org.weft.plugin.api.PreloadNode.Role;

class PreloadsTest {

    private static final String PREFIX = TestPreloads.class.getName() + "$";
    private final ClassPathPreloadLoader loader = new ClassPathPreloadLoader(getClass().getClassLoader());

    @BeforeEach
    void clear() {
        TestPreloads.CALLS.clear();
    }

    private Preloads load(PreloadArgv argv, String... names) throws PreloadException {
        return Preloads.load(List.of(names), argv, loader);
    }

    @Test
    void setUpInOrderTornDownInReverseEvenWhenATeardownThrows() throws Exception {
        Preloads preloads = load(PreloadArgv.none(), PREFIX + "First", PREFIX + "Second", PREFIX + "Third");
        assertTrue(TestPreloads.CALLS.isEmpty(), "loading runs nothing: " + TestPreloads.CALLS);
        preloads.setUp(new StartingNode(Role.SCHEDULER, "tcp://127.0.0.1:0"));
        preloads.tearDown();
        preloads.tearDown();
        assertEquals(List.of("setup first on SCHEDULER", "setup second", "setup third",
                "teardown third", "teardown second", "teardown first"), TestPreloads.CALLS);
    }

    @Test
    void aSetupThatThrowsStopsTheStartNamingItAfterTearingDownTheOnesBefore() throws Exception {
        Preloads preloads = load(PreloadArgv.none(), PREFIX + "First", PREFIX + "Throws", PREFIX + "Third");
        PreloadException e = assertThrows(PreloadException.class,
                () -> preloads.setUp(new StartingNode(Role.WORKER, "tcp://127.0.0.1:8786")));
        assertEquals("preload " + PREFIX + "Throws: setup failed: no GPU here", e.getMessage());
        assertEquals(List.of("setup first on WORKER", "setup throws", "teardown first"), TestPreloads.CALLS);
        preloads.tearDown();
        assertEquals(3, TestPreloads.CALLS.size(), "nothing torn down twice: " + TestPreloads.CALLS);
    }

    @Test
    void aPreloadThatIsNotFoundOrNotAPreloadIsNamed() {
        PreloadException missing = assertThrows(PreloadException.class,
                () -> load(PreloadArgv.none(), PREFIX + "First", "com.example.Missing"));
        assertEquals("preload com.example.Missing: class com.example.Missing not found on the class path", missing.getMessage());
        PreloadException notOne = assertThrows(PreloadException.class, () -> load(PreloadArgv.none(), PREFIX + "NotAPreload"));
        assertTrue(notOne.getMessage().contains("does not implement org.weft.plugin.api.Preload"), notOne.getMessage());
        PreloadException noConstructor = assertThrows(PreloadException.class,
                () -> load(PreloadArgv.none(), PREFIX + "NoDefaultConstructor"));
        assertTrue(noConstructor.getMessage().contains("no public constructor without arguments"), noConstructor.getMessage());
        PreloadException noJar = assertThrows(PreloadException.class, () -> load(PreloadArgv.none(), "/nowhere/setup.jar"));
        assertEquals("preload /nowhere/setup.jar: no such file /nowhere/setup.jar", noJar.getMessage());
        assertTrue(TestPreloads.CALLS.isEmpty());
    }

    @Test
    void theCommandLinesExtraArgumentsGoToThePreloadThatDeclaresOptions() throws Exception {
        Preloads preloads = load(PreloadArgv.flat(List.of("--print-count", "--label", "x")), PREFIX + "First", PREFIX + "Counting");
        StartingNode node = new StartingNode(Role.SCHEDULER, "tcp://127.0.0.1:8786");
        preloads.setUp(node);
        assertEquals(List.of("setup first on SCHEDULER", "counting printCount=true label=x"), TestPreloads.CALLS);
        assertEquals("counting", node.schedulerPlugins().get(0).options().name());
        assertEquals(PREFIX + "Counting", node.schedulerPlugins().get(0).preload().text(), "the plugin knows its preload");
    }

    @Test
    void optionsKeepTheirDefaultsWithoutArguments() throws Exception {
        load(PreloadArgv.none(), PREFIX + "Counting").setUp(new StartingNode(Role.SCHEDULER, "inproc://local"));
        assertEquals(List.of("counting printCount=false label=none"), TestPreloads.CALLS);
    }

    @Test
    void argumentsThatFitNoPreloadStopTheStart() {
        PreloadException unknown = assertThrows(PreloadException.class,
                () -> load(PreloadArgv.flat(List.of("--print-count", "--nope")), PREFIX + "Counting"));
        assertTrue(unknown.getMessage().startsWith("preload " + PREFIX + "Counting: bad options [--print-count, --nope]: Unknown option: '--nope'"),
                unknown.getMessage());
        PreloadException nobody = assertThrows(PreloadException.class,
                () -> load(PreloadArgv.flat(List.of("--print-count")), PREFIX + "First"));
        assertEquals("unknown argument --print-count: no preload declares options (" + PREFIX + "First)", nobody.getMessage());
        PreloadException none = assertThrows(PreloadException.class, () -> load(PreloadArgv.flat(List.of("--x"))));
        assertEquals("unknown argument --x: there is no preload to take them", none.getMessage());
        PreloadException several = assertThrows(PreloadException.class,
                () -> load(PreloadArgv.flat(List.of("--other")), PREFIX + "Counting", PREFIX + "AlsoOptions"));
        assertTrue(several.getMessage().contains("could go to several preloads"), several.getMessage());
    }

    @Test
    void configurationGivesEachPreloadItsOwnArguments() throws Exception {
        load(PreloadArgv.perPreload(List.of(List.of(), List.of("--label", "mine"))), PREFIX + "First", PREFIX + "Counting")
                .setUp(new StartingNode(Role.SCHEDULER, "inproc://local"));
        assertEquals(List.of("setup first on SCHEDULER", "counting printCount=false label=mine"), TestPreloads.CALLS);
        PreloadException mismatch = assertThrows(PreloadException.class,
                () -> load(PreloadArgv.perPreload(List.of(List.of("--label", "x"))), PREFIX + "First", PREFIX + "Counting"));
        assertTrue(mismatch.getMessage().contains("1 lists for 2 preloads"), mismatch.getMessage());
        PreloadException noOptions = assertThrows(PreloadException.class,
                () -> load(PreloadArgv.perPreload(List.of(List.of("-v"), List.of())), PREFIX + "First", PREFIX + "Counting"));
        assertEquals("preload " + PREFIX + "First: takes no options, but was given: -v", noOptions.getMessage());
    }

    @Test
    void aJarNamesItsPreloadInItsManifest(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("setup.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(Preload.MANIFEST_HEADER, PREFIX + "Third");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.flush();
        }
        load(PreloadArgv.none(), jar.toString()).setUp(new StartingNode(Role.CLIENT, "tcp://127.0.0.1:8786"));
        assertEquals(List.of("setup third"), TestPreloads.CALLS);

        Path bare = dir.resolve("bare.jar");
        try (OutputStream out = Files.newOutputStream(bare); JarOutputStream j = new JarOutputStream(out)) {
            j.flush();
        }
        PreloadException e = assertThrows(PreloadException.class, () -> load(PreloadArgv.none(), bare.toString()));
        assertTrue(e.getMessage().contains("has no Weft-Preload header"), e.getMessage());
    }

    @Test
    void aSnippetRunsInThisJvm() throws Exception {
        String key = "weft.preload.test." + System.nanoTime();
        load(PreloadArgv.none(), "System.setProperty(\"" + key + "\", \"on\"); System.setProperty(\"" + key + ".2\", \"too\");")
                .setUp(new StartingNode(Role.WORKER, "tcp://127.0.0.1:8786"));
        assertEquals("on", System.getProperty(key));
        assertEquals("too", System.getProperty(key + ".2"));
    }

    /** As in weft submit, whose client runs with a context class loader that sees none of the JDK's tools. */
    @Test
    void aSnippetRunsWhateverTheContextClassLoader() throws Exception {
        String key = "weft.preload.test.loader." + System.nanoTime();
        Preloads preloads = load(PreloadArgv.none(), "System.setProperty(\"" + key + "\", \"on\");");
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        ClassLoader blind = new java.net.URLClassLoader(new java.net.URL[0], null);
        thread.setContextClassLoader(blind);
        try {
            preloads.setUp(new StartingNode(Role.CLIENT, "tcp://127.0.0.1:8786"));
            assertEquals(blind, thread.getContextClassLoader(), "given back");
        } finally {
            thread.setContextClassLoader(before);
        }
        assertEquals("on", System.getProperty(key));
    }

    @Test
    void aSnippetThatThrowsOrDoesNotCompileIsNamed() throws Exception {
        Preloads throwing = load(PreloadArgv.none(), "throw new RuntimeException(\"boom\");");
        PreloadException thrown = assertThrows(PreloadException.class, () -> throwing.setUp(new StartingNode(Role.WORKER, "x")));
        assertEquals("preload snippet 'throw new RuntimeException(\"boom\");': setup failed: the snippet threw"
                + " java.lang.RuntimeException: boom", thrown.getMessage());
        Preloads broken = load(PreloadArgv.none(), "int x = ;");
        PreloadException rejected = assertThrows(PreloadException.class, () -> broken.setUp(new StartingNode(Role.WORKER, "x")));
        assertTrue(rejected.getMessage().startsWith("preload snippet 'int x = ;': setup failed: the snippet does not compile:"),
                rejected.getMessage());
    }

    @Test
    void aPreloadAddsOnlyPluginsOfItsOwnNode() {
        StartingNode worker = new StartingNode(Role.WORKER, "tcp://127.0.0.1:8786");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> worker.addPlugin(new org.weft.plugin.api.SchedulerPlugin() { }, org.weft.plugin.api.PluginOptions.named("p")));
        assertEquals("a scheduler plugin can be added only by a scheduler's preload; this is a worker's", e.getMessage());
        worker.addPlugin(new org.weft.plugin.api.WorkerPlugin() { }, org.weft.plugin.api.PluginOptions.named("w"));
        assertEquals("w", worker.workerPlugins().get(0).options().name());
    }
}
