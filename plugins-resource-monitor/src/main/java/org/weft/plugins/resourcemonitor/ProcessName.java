package org.weft.plugins.resourcemonitor;

import java.net.InetAddress;

/** How this process is named in traces and reports: {@code host pid N}. */
final class ProcessName {

    private ProcessName() {
    }

    static String describe() {
        return host() + " pid " + ProcessHandle.current().pid();
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
