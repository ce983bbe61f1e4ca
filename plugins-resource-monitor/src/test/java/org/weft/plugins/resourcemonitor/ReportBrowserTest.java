package org.weft.plugins.resourcemonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.client.Client;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;

/**
 * The HTML report of a real run, opened in headless Chromium: it renders the plots and the task
 * stream, and loads nothing from anywhere. The screenshot stays in
 * {@code target/report-screenshot.png} for a person to look at.
 */
class ReportBrowserTest {

    @TempDir
    Path dir;

    @Test
    void theReportRendersItsPlotsAndTaskStreamAndLoadsNothing() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find(dir);
        Assumptions.assumeTrue(chromium != null,
                "SKIPPED: no chromium on the PATH (apt-get install chromium; .ci/run installs it)");
        Path report = dir.resolve("report.html");
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.of(2).withThreads(2),
                TaskFunctionRegistry.withBuiltins());
                Profiler profiler = new Profiler(ProfileSettings.DEFAULTS.withIntervalMillis(20),
                        new LocalClusterInstaller(cluster));
                Client client = cluster.client()) {
            profiler.start();
            client.gather(client.map("sleep", IntStream.range(0, 16).mapToObj(i -> 10).toList()));
            client.gather(client.map("inc", IntStream.range(0, 300).boxed().toList()));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> profiler.snapshot().sampleCount() >= 5);
            profiler.stop();
            assertTrue(profiler.writeReport(report));
        }
        String html = Files.readString(report, StandardCharsets.UTF_8);
        Matcher request = Pattern.compile("(?i)(https?|ftp|wss?):|(src|href|srcset|action)\\s*=|<script|<link|<iframe|@import|url\\(")
                .matcher(html);
        assertFalse(request.find(), () -> "the report names no URL and loads no script, style sheet or image: "
                + html.substring(Math.max(0, request.start() - 40), Math.min(html.length(), request.end() + 40)));
        assertTrue(html.contains("default-src 'none'"), "its Content-Security-Policy forbids every request");

        String dom = chromium.dumpDom(report);
        assertTrue(dom.contains("Task stream") && dom.contains("Task prefixes"), "the page loaded");
        assertTrue(count(dom, "<polyline") >= 4, "CPU, memory and more plotted");
        Matcher points = Pattern.compile("<polyline[^>]*points=\"([^\"]*)\"").matcher(dom);
        int drawn = 0;
        while (points.find()) {
            drawn += points.group(1).trim().isEmpty() ? 0 : 1;
        }
        assertTrue(drawn >= 4, "the plot lines have points: " + drawn);
        assertTrue(count(dom, "<rect") > 4, "the task stream has bars");
        assertTrue(dom.contains(">sleep<") && dom.contains(">inc<"), "both prefixes in the table");

        Path png = Path.of("target", "report-screenshot.png");
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        chromium.screenshot(report, png, 1000, 1600);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1000, image.getWidth());
        int first = Integer.parseInt(Html.colour(0).substring(1), 16);
        int second = Integer.parseInt(Html.colour(1).substring(1), 16);
        assertTrue(pixels(image, first) > 50 && pixels(image, second) > 50,
                "the task stream's bars of both prefixes are painted (see " + png.toAbsolutePath() + ")");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static int pixels(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                n += (image.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }
}
