package org.weft.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The dashboard's pages ({@code /status}, {@code /workers}, {@code /tasks}, {@code /events},
 * {@code /plugins}; {@code /} leads to {@code /status}) and their two assets
 * ({@code /static/dashboard.js}, {@code /static/dashboard.css}), all read from this bundle. Every
 * answer forbids scripts from anywhere else and inline ones (Content-Security-Policy).
 */
final class PageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final Map<String, String> PAGES = Map.of("status", "Status", "workers", "Workers", "tasks", "Tasks",
            "events", "Events", "plugins", "Plugins");
    private static final Map<String, String> ASSETS = Map.of("/static/dashboard.js", "text/javascript",
            "/static/dashboard.css", "text/css");
    static final String SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final String template;

    PageServlet() {
        try {
            template = new String(read("/pages/page.html"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the dashboard bundle lacks its page template", e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        response.setHeader("Content-Security-Policy", SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (path.isEmpty() || "/".equals(path)) {
            response.sendRedirect(request.getContextPath() + "/status");
            return;
        }
        String asset = ASSETS.get(path);
        if (asset != null) {
            byte[] body = read(path);
            response.setContentType(asset);
            response.setCharacterEncoding("UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        String title = PAGES.get(path.substring(1));
        if (title == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such page");
            return;
        }
        byte[] body = template.replace("PAGE_NAME", path.substring(1)).replace("PAGE_TITLE", title)
                .getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = PageServlet.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource + " in the dashboard bundle");
            }
            return in.readAllBytes();
        }
    }
}
