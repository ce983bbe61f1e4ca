package org.weft.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/plugins/install}, {@code /update?bundle=ID} (the jar as the request body) and
 * {@code /remove?bundle=ID}: plugin management from the Plugins page. Every request must carry the
 * cluster token ({@code Authorization: Bearer …}) or is refused with 401 before anything is read;
 * a body over the size limit is refused with 413; the jar is checked to be a bundle
 * ({@link BundleCheck}) before anything is installed. Answers {@code {"message": …}}.
 */
final class PluginAdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PluginAdminServlet.class);

    private final transient PluginBundles bundles;
    private final transient TokenCheck token;
    private final long maxUploadBytes;
    private final transient Path tmp;

    PluginAdminServlet(PluginBundles bundles, TokenCheck token, long maxUploadBytes, Path tmp) {
        this.bundles = bundles;
        this.token = token;
        this.maxUploadBytes = maxUploadBytes;
        this.tmp = tmp;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String action = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (!token.accepts(request.getHeader("Authorization"))) {
            LOG.warn("dashboard: {} {} refused: no valid token (from {})", request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr());
            answer(response, 401, "refused: plugin management needs the cluster token");
            return;
        }
        PluginBundles.Outcome outcome = switch (action) {
            case "/install" -> withUpload(request, bundles::install);
            case "/update" -> {
                long id = bundleId(request);
                yield id < 0 ? bad() : withUpload(request, jar -> bundles.update(id, jar));
            }
            case "/remove" -> {
                long id = bundleId(request);
                yield id < 0 ? bad() : bundles.remove(id);
            }
            default -> new PluginBundles.Outcome(404, "unknown action '" + action + "' (install, update, remove)");
        };
        answer(response, outcome.status(), outcome.message());
    }

    private static PluginBundles.Outcome bad() {
        return new PluginBundles.Outcome(400, "name the bundle: ?bundle=ID");
    }

    private static long bundleId(HttpServletRequest request) {
        try {
            return Long.parseLong(String.valueOf(request.getParameter("bundle")));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private interface JarAction {
        PluginBundles.Outcome apply(Path jar);
    }

    /** Copies the body to a temporary file, at most the limit, runs {@code action} on it, deletes it. */
    private PluginBundles.Outcome withUpload(HttpServletRequest request, JarAction action) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxUploadBytes) {
            return tooLarge();
        }
        Files.createDirectories(tmp);
        Path upload = Files.createTempFile(tmp, "upload-", ".jar");
        try {
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = request.getInputStream(); OutputStream out = Files.newOutputStream(upload)) {
                for (int n; (n = in.read(buffer)) >= 0;) {
                    total += n;
                    if (total > maxUploadBytes) {
                        return tooLarge();
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (total == 0) {
                return new PluginBundles.Outcome(400, "refused: no jar in the request body");
            }
            return action.apply(upload);
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    private PluginBundles.Outcome tooLarge() {
        return new PluginBundles.Outcome(413, "refused: a bundle may be at most " + maxUploadBytes + " bytes");
    }

    private static void answer(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(Json.write(Map.of("message", message)).getBytes(StandardCharsets.UTF_8));
    }
}
