package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every dashboard page in headless Chromium, against a running {@code bin/weft local} while a
 * graph runs: the task stream and the progress bars move, the workers table lists the workers, a
 * task's story is found, plugins are installed and removed with the token and refused without
 * it. A screenshot of each page is saved under {@code target/dashboard-screenshots/}. Skipped
 * where Debian's chromium is not installed ({@code .ci/run} installs it).
 */
class DashboardBrowserIT {

    private static final Path SCREENSHOTS = Path.of("target/dashboard-screenshots");

    @TempDir
    Path dir;

    @Test
    void everyPageWorksWhileAGraphRuns() throws Exception {
        Assumptions.assumeTrue(DevToolsBrowser.binary() != null, "Debian's chromium is not installed");
        WeftInstall weft = WeftInstall.unpack(dir);
        Path graph = Files.writeString(dir.resolve("slow.json"), graph(2000));
        try (WeftInstall.Running local = weft.start("local", "--workers", "2", "--threads", "2",
                "--dashboard-address", "127.0.0.1:0");
                DevToolsBrowser browser = new DevToolsBrowser(dir.resolve("chromium-profile"), dir.resolve("chromium.log"))) {
            Pattern announced = Pattern.compile("dashboard at (http://127\\.0\\.0\\.1:\\d+)/");
            local.awaitStdout("the dashboard's address", out -> announced.matcher(out).find());
            Matcher m = announced.matcher(local.stdout());
            assertTrue(m.find());
            String base = m.group(1);
            local.send("weft:submit " + graph);

            statusPageMoves(browser, base);
            workersPageListsTheWorkers(browser, base);
            storyIsFound(browser, base);
            browser.open(base + "/events");
            WeftInstall.awaitTrue("the events page is live", () -> browser.eval("document.body.dataset.updates|0").asInt() > 0);
            browser.screenshot(SCREENSHOTS.resolve("events.png"));
            pluginsNeedTheToken(browser, base, weft.home().resolve("data/dashboard-token"));

            local.awaitStdout("the graph's result", out -> out.contains("total = "));
            inProcessWorkersShowTheProcesssFigures(browser, base, local);
            aPageNobodySeesLetsGo(browser, base);
            theReaderChoosesHowOftenThePageUpdates(browser, base);
        }
    }

    /**
     * A page hidden (a background tab) or left for another (which the browser's back/forward cache
     * would keep alive) closes its live feed, so the scheduler stops paying for it; shown again, it
     * connects anew.
     */
    private static void aPageNobodySeesLetsGo(DevToolsBrowser browser, String base) throws Exception {
        browser.open(base + "/status");
        awaitPagesOpen(base, 1);
        anIdleClustersPageDrawsNothing(browser);
        browser.eval("Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});"
                + " document.dispatchEvent(new Event('visibilitychange'))");
        awaitPagesOpen(base, 0);
        assertEquals("paused while hidden", browser.eval("document.getElementById('connection').textContent").asText());
        browser.eval("Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'visible'});"
                + " document.dispatchEvent(new Event('visibilitychange'))");
        awaitPagesOpen(base, 1);
        WeftInstall.awaitTrue("the page is live again", () -> "live".equals(browser.eval(
                "document.getElementById('connection').textContent").asText()));
        browser.open("about:blank");
        awaitPagesOpen(base, 0);
    }

    /**
     * Twice a second unless the reader chooses otherwise in the header; the choice is kept in the
     * browser for the next page, and an address's {@code ?every=} wins over it.
     */
    private static void theReaderChoosesHowOftenThePageUpdates(DevToolsBrowser browser, String base) throws Exception {
        String every = "document.body.dataset.every";
        String chosen = "document.getElementById('every').value";
        browser.open(base + "/status");
        WeftInstall.awaitTrue("the page is live", () -> "live".equals(browser.eval(
                "document.getElementById('connection').textContent").asText()));
        assertEquals("500", browser.eval(every).asText());
        assertEquals("500", browser.eval(chosen).asText());
        browser.eval("(() => { const s = document.getElementById('every'); s.value = '1000';"
                + " s.dispatchEvent(new Event('change')); return s.value; })()");
        assertEquals("1000", browser.eval(every).asText(), "the page connects again at the rate chosen");
        WeftInstall.awaitTrue("the page is live again", () -> "live".equals(browser.eval(
                "document.getElementById('connection').textContent").asText()));
        awaitPagesOpen(base, 1);
        browser.open(base + "/workers");
        WeftInstall.awaitTrue("the next page is live", () -> "live".equals(browser.eval(
                "document.getElementById('connection').textContent").asText()));
        assertEquals("1000", browser.eval(every).asText(), "the choice is kept for the next page");
        browser.open(base + "/status?every=250");
        WeftInstall.awaitTrue("the page is live", () -> browser.eval("document.body.dataset.updates|0").asInt() > 0);
        assertEquals("250", browser.eval(every).asText(), "the address wins");
        assertEquals("250", browser.eval(chosen).asText());
        browser.eval("localStorage.removeItem('weft-every')");
        browser.open("about:blank");
        awaitPagesOpen(base, 0);
    }

    /**
     * Once the graph is done, the updates keep coming but change nothing shown:
     * the page asks the browser for no frame (each costs it milliseconds of CPU) and draws nothing.
     */
    private static void anIdleClustersPageDrawsNothing(DevToolsBrowser browser) throws Exception {
        String updates = "document.body.dataset.updates|0";
        WeftInstall.awaitTrue("the page is drawn", () -> browser.eval("state.renders|0").asInt() > 0);
        Thread.sleep(1000);
        browser.eval("window.seen = []; new MutationObserver(() => seen.push(document.getElementById('summary').textContent))"
                + ".observe(document.getElementById('summary'), {childList: true, characterData: true, subtree: true}); true");
        int renders = browser.eval("state.renders").asInt();
        int updated = browser.eval(updates).asInt();
        WeftInstall.awaitTrue("eight more updates", () -> browser.eval(updates).asInt() >= updated + 8);
        int drawn = browser.eval("state.renders").asInt() - renders;
        assertTrue(drawn <= 2, drawn + " redraws for eight updates of an idle cluster; the summary read in turn: "
                + browser.eval("JSON.stringify(seen)").asText());
    }

    private static void awaitPagesOpen(String base, int n) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest metrics = HttpRequest.newBuilder(URI.create(base + "/metrics")).build();
        WeftInstall.awaitTrue("the dashboard counts " + n + " page(s) open", () -> http.send(metrics,
                HttpResponse.BodyHandlers.ofString()).body().contains("\nweft_dashboard_pages_open " + n + ".0\n"));
    }

    /** 2 000 sleeps of 40 ms on 4 threads (at least 20 s), each followed by an inc, and their sum. */
    private static String graph(int n) {
        StringJoiner tasks = new StringJoiner(",\n");
        StringJoiner total = new StringJoiner(", ");
        for (int i = 0; i < n; i++) {
            tasks.add("\"slow-" + i + "\": {\"fn\": \"sleep\", \"args\": [40, " + i + "]}");
            tasks.add("\"inc-" + i + "\": {\"fn\": \"inc\", \"args\": [{\"ref\": \"slow-" + i + "\"}]}");
            total.add("{\"ref\": \"inc-" + i + "\"}");
        }
        tasks.add("\"total\": {\"fn\": \"sum\", \"args\": [" + total + "]}");
        return "{\"tasks\": {\n" + tasks + "},\n \"keys\": [\"total\"]}\n";
    }

    private static void statusPageMoves(DevToolsBrowser browser, String base) throws Exception {
        browser.open(base + "/status");
        // the incs' results are held until the total runs, so their count in memory only grows while the graph runs
        // (a slow task's result is released once its inc has run: that count goes up and down)
        String doneInc = "Number(document.querySelector('.prefix-row[data-prefix=\"inc\"]')?.dataset.memory || 0)";
        String drawnTotal = "Number(document.getElementById('task-stream').dataset.total)";
        WeftInstall.awaitTrue("the task stream draws tasks", () -> browser.eval(drawnTotal).asInt() > 0);
        int drawn = browser.eval(drawnTotal).asInt();
        int done = browser.eval(doneInc).asInt();
        WeftInstall.awaitTrue("the task stream and the progress bars move",
                () -> browser.eval(drawnTotal).asInt() > drawn && browser.eval(doneInc).asInt() > done);
        assertTrue(browser.eval("document.querySelectorAll('#worker-bars .bar-row').length").asInt() >= 4,
                "memory and processing bars for both workers");
        assertTrue(browser.eval("document.getElementById('summary').textContent").asText().contains("2 workers (4 threads)"));
        browser.screenshot(SCREENSHOTS.resolve("status.png"));
    }

    private static void workersPageListsTheWorkers(DevToolsBrowser browser, String base) throws Exception {
        browser.open(base + "/workers");
        WeftInstall.awaitTrue("the workers table fills", () -> browser.eval(
                "document.querySelectorAll('#workers-table tbody tr').length").asInt() == 2);
        String note = "document.getElementById('workers-note').textContent";
        assertTrue(browser.eval(note).asText().contains("start the resource monitor"), browser.eval(note).asText());
        assertEquals("inproc://worker-1,inproc://worker-2", browser.eval(
                "[...document.querySelectorAll('#workers-table tbody tr')].map(r => r.dataset.worker).sort().join()").asText());
        browser.eval("document.querySelector('#workers-table th[data-key=name]').click()");
        WeftInstall.awaitTrue("a click on a header sorts the other way", () -> "inproc://worker-2".equals(browser.eval(
                "document.querySelector('#workers-table tbody tr').dataset.worker").asText()));
        browser.screenshot(SCREENSHOTS.resolve("workers.png"));
    }

    /**
     * Once the resource monitor records (started from the console, which is free again once the
     * graph's result is printed), both in-process workers show the scheduler process's CPU and
     * memory, marked as shared, and the note says so.
     */
    private static void inProcessWorkersShowTheProcesssFigures(DevToolsBrowser browser, String base,
            WeftInstall.Running local) throws Exception {
        browser.open(base + "/workers");
        local.send("weft:profile start");
        String shared = "document.querySelectorAll('#workers-table tbody tr[data-shared=true]').length";
        WeftInstall.awaitTrue("the process's CPU and memory beside both workers", () -> browser.eval(shared).asInt() == 2
                && browser.eval("document.querySelector('#workers-table tbody tr').textContent").asText().contains("(process)"));
        String note = browser.eval("document.getElementById('workers-note').textContent").asText();
        assertTrue(note.contains("shared by all of them"), note);
        browser.screenshot(SCREENSHOTS.resolve("workers-process.png"));
        local.send("weft:profile stop");
    }

    private static void storyIsFound(DevToolsBrowser browser, String base) throws Exception {
        browser.open(base + "/tasks");
        browser.eval("document.getElementById('story-key').value = 'slow-0'");
        browser.eval("document.querySelector('#story-form button').click()");
        WeftInstall.awaitTrue("the story of slow-0", () -> browser.eval(
                "document.querySelectorAll('#story-table tbody tr').length").asInt() >= 3);
        String story = browser.eval("document.getElementById('story-table').textContent").asText();
        assertTrue(story.contains("processing") && story.contains("memory"), story);
        browser.screenshot(SCREENSHOTS.resolve("tasks.png"));
    }

    /**
     * Installs the example plugin bundle that adds its own page ({@code examples/dashboard-page}) from
     * the Plugins page: refused without the token, installed with it; its page joins the menu and
     * counts the graph's tasks; removed with the token only.
     */
    private static void pluginsNeedTheToken(DevToolsBrowser browser, String base, Path tokenFile) throws Exception {
        Path jar = Path.of(System.getProperty("weft.testPlugins", "target/test-plugins"))
                .resolve("weft-example-dashboard-page.jar");
        String token = Files.readString(tokenFile).trim();
        browser.open(base + "/plugins");
        WeftInstall.awaitTrue("the plugins table fills", () -> browser.eval(
                "document.querySelectorAll('#plugins-table tbody tr[data-plugin=dashboard]').length").asInt() == 1);
        String message = "document.getElementById('admin-message').textContent";
        String row = "#bundles-table tbody tr[data-bundle=\"org.weft.examples.dashboardpage\"]";
        String listed = "document.querySelectorAll('" + row + "').length";
        String pluginActive = "document.querySelectorAll('#plugins-table tbody tr[data-plugin=finished-page][data-state=ACTIVE]').length";

        browser.chooseFile("#install-file", jar);
        browser.eval("document.getElementById('install-button').click()");
        WeftInstall.awaitTrue("install without the token is refused", () -> browser.eval(message).asText().startsWith("refused"));
        assertEquals(0, browser.eval(listed).asInt());

        browser.eval("document.getElementById('token').value = " + quoted(token));
        browser.eval("document.getElementById('install-button').click()");
        WeftInstall.awaitTrue("install with the token", () -> browser.eval(message).asText().startsWith("installed"));
        WeftInstall.awaitTrue("the bundle is listed", () -> browser.eval(listed).asInt() == 1);
        WeftInstall.awaitTrue("its plugin runs", () -> browser.eval(pluginActive).asInt() == 1);
        browser.screenshot(SCREENSHOTS.resolve("plugins.png"));

        browser.open(base + "/status");
        WeftInstall.awaitTrue("its page joins the menu", () -> "/finished".equals(browser.eval(
                "[...document.querySelectorAll('#nav a')].find(a => a.textContent === 'Finished tasks')?.getAttribute('href')")
                .asText()));
        browser.open(base + "/finished");
        WeftInstall.awaitTrue("its page counts finished tasks", () -> browser.eval(
                "document.getElementById('finished').textContent").asText().contains("slow"));
        browser.screenshot(SCREENSHOTS.resolve("plugin-page.png"));

        browser.open(base + "/plugins");
        WeftInstall.awaitTrue("the bundle is listed again", () -> browser.eval(listed).asInt() == 1);
        browser.eval("document.getElementById('token').value = 'not-the-token'");
        browser.eval("document.querySelector('" + row + " button.remove').click()");
        WeftInstall.awaitTrue("remove with a wrong token is refused", () -> browser.eval(message).asText().startsWith("refused"));
        assertEquals(1, browser.eval(listed).asInt());

        browser.eval("document.getElementById('token').value = " + quoted(token));
        browser.eval("document.querySelector('" + row + " button.remove').click()");
        WeftInstall.awaitTrue("remove with the token", () -> browser.eval(message).asText().startsWith("removed"));
        WeftInstall.awaitTrue("the bundle is gone", () -> browser.eval(listed).asInt() == 0);
        WeftInstall.awaitTrue("and its plugin is closed", () -> browser.eval(pluginActive).asInt() == 0);
        assertFalse(browser.eval("document.body.textContent").asText().contains(token), "the token is never shown");
    }

    private static String quoted(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
