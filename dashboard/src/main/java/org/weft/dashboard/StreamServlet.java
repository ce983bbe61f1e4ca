package org.weft.dashboard;

import java.io.IOException;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code /api/stream}: the live updates as server-sent events ({@link LiveFeed}). */
final class StreamServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient LiveFeed feed;

    StreamServlet(LiveFeed feed) {
        this.feed = feed;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        AsyncContext context = request.startAsync();
        context.setTimeout(0);
        feed.subscribe(context);
    }
}
