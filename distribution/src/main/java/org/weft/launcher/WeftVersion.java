package org.weft.launcher;

import picocli.CommandLine.IVersionProvider;

/** The Weft version, from the launcher jar's manifest (Implementation-Version). */
final class WeftVersion implements IVersionProvider {

    static String number() {
        String version = WeftVersion.class.getPackage().getImplementationVersion();
        return version != null ? version : "(development)";
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "Weft " + number(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
