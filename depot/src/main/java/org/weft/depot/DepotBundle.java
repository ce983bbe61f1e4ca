package org.weft.depot;

import java.util.Set;

/**
 * One bundle of the depot: its identity (symbolic name, version, SHA-256 of its bytes), the bytes
 * themselves, what it provides and where it came from ({@code plugins/…}, {@code shell},
 * {@code upload}, …).
 */
public record DepotBundle(String symbolicName, String version, String sha256, byte[] bytes, Set<String> services,
        Set<String> functions, String source) {

    public DepotBundle {
        services = Set.copyOf(services);
        functions = Set.copyOf(functions);
    }

    /**
     * The depot's entry for these bytes.
     *
     * @throws IllegalArgumentException if they are not a bundle, or a bundle that provides nothing that travels
     */
    public static DepotBundle of(byte[] bytes, String source) {
        BundleFacts facts = BundleFacts.read(bytes);
        if (!facts.travels()) {
            throw new IllegalArgumentException(facts.symbolicName() + " " + facts.version()
                    + " provides no task function, worker plugin or nanny plugin (" + BundleFacts.HOW + ")");
        }
        return new DepotBundle(facts.symbolicName(), facts.version(), Hashes.sha256(bytes), bytes, facts.services(),
                facts.functions(), source);
    }

    /** The first 12 hex digits of the hash, as listings show it. */
    public String shortHash() {
        return sha256.substring(0, Math.min(12, sha256.length()));
    }

    @Override
    public String toString() {
        return symbolicName + " " + version + " (sha256 " + shortHash() + ", " + bytes.length + " bytes, from " + source + ")";
    }
}
