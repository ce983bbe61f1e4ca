package org.weft.itests;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.Assert.assertEquals;
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
}
