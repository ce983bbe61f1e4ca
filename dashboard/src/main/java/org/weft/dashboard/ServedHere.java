package org.weft.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Whether the address the HTTP runtime names is served by this process. The launcher checks that
 * the dashboard's port is free, but Jetty binds it later: another process may take it in between,
 * and Felix HTTP then starts without that connector yet still names the address. So this process
 * serves a random instance id at {@code /api/instance}, and before the dashboard says where it is,
 * it asks that address for the id: another answer, or none, means the port is someone else's.
 */
final class ServedHere extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String PATH = "/api/instance";

    private final String id;

    ServedHere() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        this.id = HexFormat.of().formatHex(bytes);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(id);
    }

    /**
     * Asks {@code endpoint} ({@code http://host:port/}) for the instance id until {@code timeout}
     * passes (the whiteboard may add the servlet a moment after the runtime appears).
     *
     * @return null when this process answers there, else why not (what answered, or the error)
     */
    String whyNotServedAt(String endpoint, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create(endpoint.endsWith("/") ? endpoint + PATH.substring(1) : endpoint + PATH);
        long deadline = System.nanoTime() + timeout.toNanos();
        String why;
        do {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (answer.statusCode() == 200 && id.equals(answer.body())) {
                    return null;
                }
                why = "another server answers there (HTTP " + answer.statusCode() + ")";
            } catch (IOException e) {
                why = "nothing answers there (" + e + ")";
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return why;
    }
}
