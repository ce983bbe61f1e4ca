package org.weft.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
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
        // HttpURLConnection, not java.net.http: this runs once per start, beside the workers' joins,
        // and java.net.http's client (its selector thread, HTTP/2 classes) cost far more CPU there
        URL url;
        try {
            url = URI.create(endpoint.endsWith("/") ? endpoint + PATH.substring(1) : endpoint + PATH).toURL();
        } catch (java.net.MalformedURLException e) {
            return "not an address (" + e + ")";
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String why;
        do {
            HttpURLConnection http = null;
            try {
                http = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
                http.setConnectTimeout(2000);
                http.setReadTimeout(2000);
                http.setUseCaches(false);
                int status = http.getResponseCode();
                String body = "";
                if (status == 200) {
                    try (InputStream in = http.getInputStream()) {
                        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
                if (status == 200 && id.equals(body)) {
                    return null;
                }
                why = "another server answers there (HTTP " + status + ")";
            } catch (IOException e) {
                why = "nothing answers there (" + e + ")";
            } finally {
                if (http != null) {
                    http.disconnect();
                }
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return why;
    }
}
