package org.weft.itests;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.weft.client.Client;
import org.weft.client.FutureStatus;
import org.weft.client.KeyCancelledException;
import org.weft.client.TaskOptions;
import org.weft.client.WeftFuture;
import org.weft.plugin.api.PluginProperties;
import org.weft.plugin.api.SchedulerPlugin;

/** The {@code weft:} shell commands, run through the Gogo CommandProcessor as the Weft shell runs them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT extends WeftTestSupport {

    /** The README's example graph. */
    private static final String README_GRAPH = "{\"tasks\": {\"a\": {\"fn\": \"inc\", \"args\": [1]},"
            + " \"b\": {\"fn\": \"add\", \"args\": [{\"ref\": \"a\"}, 10]}}, \"keys\": [\"b\"]}";

    private static String show(String command, String output) {
        System.out.println("ShellCommandsIT $ " + command + System.lineSeparator() + output);
        return output;
    }

    private String sh(String command) throws Exception {
        return show(command, shell(command));
    }

    @Test
    public void statusAndWorkers() throws Exception {
        String status = sh("weft:status");
        assertTrue(status, status.contains("scheduler: " + endpoint.address()));
        assertTrue(status, status.contains("workers: 2 (4 threads)"));
        assertTrue(status, status.contains("plugins: "));

        List<Map<String, String>> workers = table(sh("weft:workers"), "WORKER");
        assertEquals(workers.toString(), 2, workers.size());
        for (Map<String, String> w : workers) {
            assertEquals(w.toString(), "2", w.get("THREADS"));
            assertEquals(w.toString(), "idle", w.get("LOAD"));
            assertEquals(w.toString(), "0.00", w.get("OCCUPANCY-S"));
        }
    }

    @Test
    public void tasksAndStory() throws Exception {
        Client client = client();
        WeftFuture f = client.submit(TaskOptions.key("itest-story"), "inc", 41);
        assertEquals(42L, ((Number) f.get(30, SECONDS)).longValue());

        List<Map<String, String>> tasks = table(sh("weft:tasks"), "KEY");
        Map<String, String> row = tasks.stream().filter(r -> "itest-story".equals(r.get("KEY"))).findFirst()
                .orElseThrow(() -> new AssertionError("itest-story not in weft:tasks: " + tasks));
        assertEquals("memory", lower(row.get("STATE")));
        assertEquals("inc", row.get("FUNCTION"));
        assertTrue(row.toString(), row.get("WORKER").startsWith("inproc://worker-"));

        List<Map<String, String>> inMemory = table(sh("weft:tasks memory"), "KEY");
        assertTrue(inMemory.toString(), inMemory.stream().anyMatch(r -> "itest-story".equals(r.get("KEY"))));
        String erred = sh("weft:tasks erred");
        assertTrue(erred, erred.contains("no tasks in state erred"));

        List<Map<String, String>> story = table(sh("weft:story itest-story"), "TIME");
        assertTrue("scheduler processing -> memory in " + story, story.stream().anyMatch(r ->
                "processing".equals(lower(r.get("START"))) && "memory".equals(lower(r.get("FINISH")))));
        assertTrue("a worker's transitions in " + story,
                story.stream().anyMatch(r -> r.get("WHERE").startsWith("inproc://worker-")));
        String unknown = sh("weft:story no-such-key");
        assertTrue(unknown, unknown.contains("no story for 'no-such-key'"));
    }

    /** What a user mistypes gets an answer in words: usage, the file's problem, the limit by name. */
    @Test
    public void mistakesAreAnsweredInWords() throws Exception {
        String story = sh("weft:story");
        assertTrue(story, story.contains("usage: weft:story <key>"));

        Path missing = workDir().resolve("no-such-graph.json");
        String submit = sh("weft:submit " + missing);
        assertTrue(submit, submit.contains("cannot read graph: " + missing + ": no such file"));

        Path big = workDir().resolve("big-graph.json");
        Files.writeString(big, "{\"tasks\": {\"a\": {\"fn\": \"inc\", \"args\": [\"" + "x".repeat(200) + "\"]}}}",
                StandardCharsets.UTF_8);
        System.setProperty("weft.graph.maxStringLength", "100");
        try {
            String tooBig = sh("weft:submit " + big);
            assertTrue(tooBig, tooBig.contains("longer than the graph size limit of 100 characters"));
            assertTrue(tooBig, tooBig.contains("-Dweft.graph.maxStringLength="));
        } finally {
            System.clearProperty("weft.graph.maxStringLength");
        }
    }

    @Test
    public void pluginsListsARegisteredPlugin() throws Exception {
        RecordingPlugin probe = new RecordingPlugin();
        register(SchedulerPlugin.class, probe, Map.of(PluginProperties.NAME, "shell-listed"));
        assertTrue(probe.started.await(30, SECONDS));

        List<Map<String, String>> rows = table(sh("weft:plugins"), "NAME").stream()
                .filter(r -> "shell-listed".equals(r.get("NAME"))).collect(Collectors.toList());
        assertEquals(rows.toString(), 1, rows.size());
        Map<String, String> row = rows.get(0);
        assertEquals("ACTIVE", row.get("STATE"));
        assertEquals("scheduler", row.get("KIND"));
        assertEquals("scheduler", row.get("WHERE"));
        assertEquals(context.getBundle().getSymbolicName(), row.get("BUNDLE"));
        assertEquals("sync", row.get("DELIVERY"));
        assertEquals("0", row.get("ERRORS"));
    }

    /**
     * {@code weft:plugin-remove}: a clear error for an unknown name, usage without one, and removal
     * (with {@code close()}) by name.
     */
    @Test
    public void pluginRemoveByName() throws Exception {
        RecordingPlugin probe = new RecordingPlugin();
        register(SchedulerPlugin.class, probe, Map.of(PluginProperties.NAME, "shell-probe"));
        assertTrue(probe.started.await(30, SECONDS));
        String gogoMainBug = " -- Gogo 1.1.6 calls _main(String[]) with the function name first"
                + " ([\"plugin-remove\", <name>]); PluginRemoveCommand._main must skip args[0]";

        String missing = sh("weft:plugin-remove nosuch");
        assertTrue("unknown name: " + missing + gogoMainBug, missing.contains("no scheduler plugin named 'nosuch'"));

        String usage = sh("weft:plugin-remove");
        assertTrue("no name: " + usage + gogoMainBug, usage.contains("usage: weft:plugin-remove <name>"));

        String removed = sh("weft:plugin-remove shell-probe");
        assertTrue("by name: " + removed + gogoMainBug, removed.contains("removed plugin 'shell-probe'"));
        assertTrue("close() called", probe.closed.await(30, SECONDS));
        assertEquals(1, probe.closes.get());
        assertTrue(pluginRows("shell-probe", "ACTIVE").isEmpty());
        assertEquals(1, pluginRows("shell-probe", "CLOSED").size());
    }

    /** {@code weft:retire} without a worker, and of an unknown one; retiring for real is in {@link RetireCommandIT}. */
    @Test
    public void retireUsageAndUnknownWorker() throws Exception {
        String usage = sh("weft:retire");
        assertTrue(usage, usage.contains("usage: weft:retire <worker>..."));
        String unknown = sh("weft:retire no-such-worker");
        assertTrue(unknown, unknown.contains("not retired no-such-worker: no worker 'no-such-worker'"));
        assertEquals(2, workerAddresses().size());
    }

    @Test
    public void submitReadmeGraph() throws Exception {
        Path graph = workDir().resolve("graph.json");
        Files.createDirectories(graph.getParent());
        Files.writeString(graph, README_GRAPH, StandardCharsets.UTF_8);
        String out = sh("weft:submit '" + graph.toAbsolutePath() + "'");
        assertTrue(out, out.lines().anyMatch(l -> l.trim().endsWith("b = 12")));

        String bad = sh("weft:submit '" + workDir().resolve("no-such-graph.json").toAbsolutePath() + "'");
        assertTrue(bad, bad.contains("cannot read graph"));
    }

    /** {@code weft:cancel}: usage, unknown keys, a chain cancelled from its root, a shared key kept unless forced. */
    @Test
    public void cancelKeysAndTheirDependents() throws Exception {
        Client client = client();
        Client other = client();
        String usage = sh("weft:cancel");
        assertTrue(usage, usage.contains("usage: weft:cancel <key>... [--force]"));
        String unknown = sh("weft:cancel no-such-key");
        assertTrue(unknown, unknown.contains("unknown: no-such-key"));

        WeftFuture root = client.submit(TaskOptions.key("itest-cancel-root"), "sleep", 3000, 1);
        WeftFuture leaf = client.submit(TaskOptions.key("itest-cancel-leaf"), "identity", root);
        String cancelled = sh("weft:cancel itest-cancel-root");
        assertTrue(cancelled, cancelled.contains("cancelled 1 key(s) and their dependents: itest-cancel-root"));
        await("both futures cancelled", () -> root.status() == FutureStatus.CANCELLED
                && leaf.status() == FutureStatus.CANCELLED);
        String tasks = sh("weft:tasks");
        assertFalse(tasks, tasks.contains("itest-cancel-"));

        WeftFuture mine = client.submit(TaskOptions.key("itest-shared"), "sleep", 3000, 2);
        WeftFuture theirs = other.submit(TaskOptions.key("itest-shared"), "sleep", 3000, 2);
        String kept = sh("weft:cancel itest-shared");
        assertTrue(kept, kept.contains("kept, wanted by several clients (use --force): itest-shared"));
        assertEquals(FutureStatus.PENDING, mine.status());
        String forced = sh("weft:cancel itest-shared --force");
        assertTrue(forced, forced.contains("cancelled 1 key(s)"));
        await("cancelled for both clients", () -> mine.status() == FutureStatus.CANCELLED
                && theirs.status() == FutureStatus.CANCELLED);
    }

    /** {@code weft:events}: topics with counts, one topic's events, an unknown topic. */
    @Test
    public void eventsByTopic() throws Exception {
        Client client = client();
        client.logEvent(List.of("itest-topic", "itest-other"), Map.of("n", 1));
        client.logEvent("itest-topic", "second");

        List<Map<String, String>> topics = table(sh("weft:events"), "TOPIC");
        assertTrue(topics.toString(), topics.stream().anyMatch(r -> "itest-topic".equals(r.get("TOPIC"))
                && "2".equals(r.get("EVENTS"))));
        assertTrue(topics.toString(), topics.stream().anyMatch(r -> "itest-other".equals(r.get("TOPIC"))
                && "1".equals(r.get("EVENTS"))));

        List<Map<String, String>> events = table(sh("weft:events itest-topic"), "TIME");
        assertEquals(events.toString(), 2, events.size());
        assertEquals("{n=1}", events.get(0).get("MESSAGE"));
        assertEquals("second", events.get(1).get("MESSAGE"));
        String none = sh("weft:events no-such-topic");
        assertTrue(none, none.contains("no events in topic 'no-such-topic'"));
    }

    /** {@code weft:restart}: pending futures are cancelled with reason "restart", tasks are gone, the cluster works on. */
    @Test
    public void restartClearsTasks() throws Exception {
        Client client = client();
        WeftFuture done = client.submit(TaskOptions.key("itest-restart-done"), "inc", 1);
        assertEquals(2L, ((Number) done.get(30, SECONDS)).longValue());
        WeftFuture pending = client.submit(TaskOptions.key("itest-restart-pending"), "sleep", 2000, 3);

        String out = sh("weft:restart");
        assertTrue(out, out.contains("restarted: ") && out.contains("2 worker(s) reset"));
        await("pending future cancelled", () -> pending.status() == FutureStatus.CANCELLED);
        try {
            pending.get(1, SECONDS);
            throw new AssertionError("expected KeyCancelledException");
        } catch (KeyCancelledException e) {
            assertEquals("restart", e.reason());
        }
        String tasks = sh("weft:tasks");
        assertFalse(tasks, tasks.contains("itest-restart-"));
        List<Map<String, String>> all = table(sh("weft:events all"), "TIME");
        assertTrue(all.toString(), all.stream().anyMatch(r -> r.get("MESSAGE").contains("action=restart")));
        assertEquals(42L, ((Number) client.submit("inc", 41).get(30, SECONDS)).longValue());
    }
}
