package org.weft.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The read-only JSON the pages ask for besides the live feed: {@code /api/snapshot} (the latest
 * snapshot with its rates), {@code /api/story?key=K} (a task's story on the scheduler and the
 * workers), {@code /api/events?topic=T} (a topic's recent events), {@code /api/bundles} (bundles,
 * and which the Plugins page manages), {@code /api/pages} (pages other bundles added).
 */
final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final long TIMEOUT_SECONDS = 30;

    private final transient SnapshotCache snapshots;
    private final transient BiFunction<String, String, CompletableFuture<?>> questions;
    private final transient PluginBundles bundles;
    private final transient ExtraPages pages;

    ApiServlet(SnapshotCache snapshots, BiFunction<String, String, CompletableFuture<?>> questions,
            PluginBundles bundles, ExtraPages pages) {
        this.snapshots = snapshots;
        this.questions = questions;
        this.bundles = bundles;
        this.pages = pages;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            Object answer = switch (path) {
                case "/snapshot" -> snapshot();
                case "/story" -> ask("story", request.getParameter("key"));
                case "/events" -> ask("events", request.getParameter("topic"));
                case "/bundles" -> bundles.list();
                case "/pages" -> pages.list();
                default -> null;
            };
            if (answer == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such API: " + path);
                return;
            }
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            response.getOutputStream().write(Json.write(answer).getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        } catch (ExecutionException | TimeoutException e) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the scheduler did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "interrupted");
        }
    }

    private Map<String, Object> snapshot() throws InterruptedException, ExecutionException, TimeoutException {
        Sample s = snapshots.fresh();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transitionsPerSecond", s.transitionsPerSecond());
        out.put("loopBusyFraction", s.loopBusyFraction());
        out.put("snapshot", s.snapshot());
        return out;
    }

    private Object ask(String question, String argument)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (argument == null || argument.isBlank()) {
            throw new IllegalArgumentException(question + ": say which (" + ("story".equals(question) ? "?key=" : "?topic=")
                    + ")");
        }
        return questions.apply(question, argument).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
