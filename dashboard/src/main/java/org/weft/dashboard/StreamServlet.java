package org.weft.dashboard;

import java.io.IOException;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /api/stream}: the live updates as server-sent events ({@link LiveFeed}), one every
 * {@code every} milliseconds ({@value #DEFAULT_EVERY_MILLIS} when not given; from
 * {@value #MIN_EVERY_MILLIS} to {@value #MAX_EVERY_MILLIS}, anything else refused with 400).
 */
final class StreamServlet extends HttpServlet {

    static final long DEFAULT_EVERY_MILLIS = 500;
    static final long MIN_EVERY_MILLIS = 250;
    static final long MAX_EVERY_MILLIS = 10_000;
    private static final long serialVersionUID = 1L;

    private final transient LiveFeed feed;

    StreamServlet(LiveFeed feed) {
        this.feed = feed;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long every;
        try {
            every = every(request.getParameter("every"));
        } catch (IllegalArgumentException e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        AsyncContext context = request.startAsync();
        context.setTimeout(0);
        feed.subscribe(context, every);
    }

    /** The milliseconds between two updates a page asks for ({@code null}: the default). */
    static long every(String parameter) {
        if (parameter == null) {
            return DEFAULT_EVERY_MILLIS;
        }
        long millis;
        try {
            millis = Long.parseLong(parameter.trim());
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < MIN_EVERY_MILLIS || millis > MAX_EVERY_MILLIS) {
            throw new IllegalArgumentException("every: milliseconds between updates, a whole number from "
                    + MIN_EVERY_MILLIS + " to " + MAX_EVERY_MILLIS + ", not '" + parameter + "'");
        }
        return millis;
    }
}
