package org.weft.examples.dashboardpage;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.weft.plugin.api.PluginName;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionEvent;

/**
 * A page of its own on the Weft dashboard: tasks finished per key prefix. One component is both a
 * scheduler plugin (it counts) and a servlet (it shows the counts). The Servlet Whiteboard serves
 * it on the dashboard's port at {@code /finished}; the property {@code weft.dashboard.page.title}
 * puts it in the dashboard's menu. Everything printed is escaped: a key is data, never markup.
 */
@Component(service = {SchedulerPlugin.class, Servlet.class}, property = {
        "osgi.http.whiteboard.servlet.pattern=/finished",
        "weft.dashboard.page.title=Finished tasks"})
@PluginName("finished-page")
public class FinishedPage extends HttpServlet implements SchedulerPlugin {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, LongAdder> finished = new ConcurrentHashMap<>();

    @Override
    public boolean wantsTransition(SchedulerTaskState start, SchedulerTaskState finish) {
        return start == SchedulerTaskState.PROCESSING && finish == SchedulerTaskState.MEMORY;
    }

    @Override
    public void transition(TransitionEvent event) {
        String key = event.key();
        int dash = key.lastIndexOf('-');
        finished.computeIfAbsent(dash > 0 ? key.substring(0, dash) : key, p -> new LongAdder()).increment();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Content-Security-Policy", "default-src 'self'");
        PrintWriter out = response.getWriter();
        out.println("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Finished tasks</title>"
                + "<link rel=\"stylesheet\" href=\"/static/dashboard.css\"></head><body>");
        out.println("<header><a href=\"/status\">Weft dashboard</a></header><main><h2>Finished tasks by key prefix</h2>");
        out.println("<table id=\"finished\"><tr><th>prefix</th><th>finished</th></tr>");
        new TreeMap<>(finished).forEach((prefix, n) ->
                out.println("<tr><td>" + escape(prefix) + "</td><td>" + n.sum() + "</td></tr>"));
        out.println("</table></main></body></html>");
    }

    /** HTML text: the five characters that could start markup or end an attribute. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
