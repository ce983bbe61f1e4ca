package org.weft.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleException;

class FelixLogTest {

    private static NullPointerException npeAt(String className, String method) {
        NullPointerException npe = new NullPointerException("Cannot invoke \"CommandSession.close()\" because \"session\" is null");
        npe.setStackTrace(new StackTraceElement[] {new StackTraceElement(className, method, "X.java", 1)});
        return npe;
    }

    @Test
    void gogoRuntimesStopRaceIsRecognisedAlsoWhenWrapped() {
        NullPointerException race = npeAt("org.apache.felix.gogo.runtime.CommandProcessorImpl", "stop");
        assertTrue(FelixLog.isGogoSessionRace(race));
        assertTrue(FelixLog.isGogoSessionRace(new BundleException("Activator stop error", race)));
    }

    @Test
    void otherErrorsAreNot() {
        assertFalse(FelixLog.isGogoSessionRace(null));
        assertFalse(FelixLog.isGogoSessionRace(npeAt("org.example.Plugin", "stop")));
        assertFalse(FelixLog.isGogoSessionRace(new IllegalStateException("x")));
    }
}
