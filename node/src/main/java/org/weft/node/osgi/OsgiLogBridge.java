package org.weft.node.osgi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.LogService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the OSGi Log Service's warnings and errors to slf4j (data/log/weft.log, and the console
 * from WARNING up), under the name of the bundle they are about: that is where Declarative Services
 * reports a component it cannot create (a plugin class that does not load, an activate method that
 * throws). Without it those errors reached no one. The errors logged before Weft started (about
 * plugins started earlier) are taken from the log's history when this starts. Of the framework's
 * own events only the errors the framework does not log itself are forwarded.
 */
@Component(immediate = true, service = {})
public final class OsgiLogBridge implements LogListener {

    private final LogReaderService reader;

    @Activate
    public OsgiLogBridge(@Reference LogReaderService reader) {
        this.reader = reader;
        List<LogEntry> earlier = history();
        Collections.reverse(earlier); // oldest first
        earlier.forEach(this::logged);
        reader.addLogListener(this);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    @SuppressWarnings("deprecation") // getLevel(): the 1.3 API, served by every Log Service since
    public void logged(LogEntry entry) {
        int level = entry.getLevel();
        if (level > LogService.LOG_WARNING || isFrameworkEvent(entry)) {
            return;
        }
        Logger log = LoggerFactory.getLogger(source(entry));
        String message = entry.getServiceReference() == null ? entry.getMessage()
                : entry.getMessage() + " (service " + entry.getServiceReference() + ")";
        if (level == LogService.LOG_WARNING) {
            log.warn(message, entry.getException());
        } else {
            log.error(message, entry.getException());
        }
    }

    /** The log's history, newest first. */
    private List<LogEntry> history() {
        List<LogEntry> entries = new ArrayList<>();
        for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements();) {
            entries.add(e.nextElement());
        }
        return entries;
    }

    /**
     * The framework's events, which the Log Service records too: all but errors are noise here, and
     * an error about a bundle that fails to start or stop ({@code BundleException}) is logged by
     * the framework itself (the launcher's FelixLog). Other errors, e.g. a service factory that
     * throws, are forwarded: nothing else reports them.
     */
    @SuppressWarnings("deprecation")
    private static boolean isFrameworkEvent(LogEntry entry) {
        String message = entry.getMessage();
        if (message == null || !(message.startsWith("FrameworkEvent ") || message.startsWith("BundleEvent ")
                || message.startsWith("ServiceEvent "))) {
            return false;
        }
        boolean error = entry.getLevel() == LogService.LOG_ERROR && message.startsWith("FrameworkEvent ERROR");
        return !error || isBundleException(entry.getException());
    }

    /** The Log Service may hand over a copy of the exception that names the original's class in its message. */
    private static boolean isBundleException(Throwable error) {
        return error != null && (error instanceof org.osgi.framework.BundleException
                || String.valueOf(error.getMessage()).startsWith("org.osgi.framework.BundleException"));
    }

    private static String source(LogEntry entry) {
        Bundle bundle = entry.getBundle();
        String name = bundle == null ? null : bundle.getSymbolicName();
        return name == null ? "osgi.log" : name;
    }

    /** {@code A: message; caused by B: message}, at most three deep. */
    public static String chain(Throwable error) {
        StringBuilder text = new StringBuilder(error.toString());
        Throwable cause = error.getCause();
        for (int depth = 1; cause != null && depth < 3; depth++, cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        return text.toString();
    }
}
