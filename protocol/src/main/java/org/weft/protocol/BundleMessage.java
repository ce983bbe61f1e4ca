package org.weft.protocol;

import java.util.List;

/**
 * The bundle depot on the wire: the scheduler sends the bundles registered for the cluster to each
 * worker (as bytes and their SHA-256, never as Java serialization), and the worker answers with
 * what became of each in its own framework. A link carries these in order with the other
 * scheduler messages, so a task sent after an {@link InstallBundle} reaches the worker after it.
 */
public sealed interface BundleMessage extends Message {

    /** A bundle's state on a worker: running, failed there (with the cause), or gone. */
    enum State {
        /** Installed and started; its services are registered. */
        ACTIVE,
        /** Not running there: did not resolve (the missing requirement is the cause), did not start, or bad bytes. */
        FAILED,
        /** Uninstalled (or never installed) there. */
        UNINSTALLED
    }

    /**
     * Install this bundle, or update the one with the same symbolic name to these bytes; answered by
     * {@link BundleState}. {@code sha256} is the lowercase hex SHA-256 of {@code bytes}: a worker
     * whose bytes do not hash to it refuses them.
     */
    record InstallBundle(String symbolicName, String version, String sha256, byte[] bytes) implements BundleMessage {
        public InstallBundle {
            bytes = bytes == null ? new byte[0] : bytes;
        }

        @Override
        public String toString() {
            return "InstallBundle[" + symbolicName + " " + version + ", sha256 " + sha256 + ", " + bytes.length + " bytes]";
        }
    }

    /** Uninstall the depot's bundle with this symbolic name; answered by {@link BundleState} UNINSTALLED. */
    record UninstallBundle(String symbolicName) implements BundleMessage {
    }

    /**
     * The depot holds exactly these symbolic names (sent after the installs to a worker that joins):
     * a depot bundle the worker still has from before and that is not listed is uninstalled there.
     */
    record DepotSync(List<String> symbolicNames) implements BundleMessage {
        public DepotSync {
            symbolicNames = symbolicNames == null ? List.of() : symbolicNames;
        }
    }

    /**
     * A worker's answer: the bundle with this symbolic name is in {@code state} there, at the revision
     * whose bytes hash to {@code sha256}; {@code cause} says why when FAILED.
     */
    record BundleState(String symbolicName, String sha256, State state, String cause) implements BundleMessage {
    }
}
