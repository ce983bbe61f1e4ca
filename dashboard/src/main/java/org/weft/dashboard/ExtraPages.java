package org.weft.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The pages other bundles add to the dashboard's menu: any servlet registered through the Servlet
 * Whiteboard with the service property {@value #TITLE} (its title in the menu) and an
 * {@code osgi.http.whiteboard.servlet.pattern} (its path; a trailing {@code /*} is dropped).
 */
final class ExtraPages {

    /** The service property that puts a whiteboard servlet in the dashboard's menu. */
    static final String TITLE = "weft.dashboard.page.title";
    private static final String PATTERN = "osgi.http.whiteboard.servlet.pattern";

    private final BundleContext context;

    ExtraPages(BundleContext context) {
        this.context = context;
    }

    /** {@code [{title, path}]}, by title. */
    List<Map<String, String>> list() {
        ServiceReference<?>[] refs;
        try {
            refs = context.getServiceReferences((String) null, "(&(" + TITLE + "=*)(" + PATTERN + "=*))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Map<String, String>> pages = new ArrayList<>();
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            String path = firstPattern(ref.getProperty(PATTERN));
            if (path == null) {
                continue;
            }
            Map<String, String> page = new LinkedHashMap<>();
            page.put("title", String.valueOf(ref.getProperty(TITLE)));
            page.put("path", path.endsWith("/*") ? path.substring(0, path.length() - 2) : path);
            pages.add(page);
        }
        pages.sort(Comparator.comparing(p -> p.get("title")));
        return pages;
    }

    private static String firstPattern(Object pattern) {
        if (pattern instanceof String s) {
            return s;
        }
        if (pattern instanceof String[] all && all.length > 0) {
            return all[0];
        }
        return null;
    }
}
