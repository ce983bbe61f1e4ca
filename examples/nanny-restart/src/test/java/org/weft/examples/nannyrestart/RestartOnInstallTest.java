package org.weft.examples.nannyrestart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.NannyView;

class RestartOnInstallTest {

    @Test
    void asksForARestartAndDescribesTheWorker() {
        NannyView nanny = new NannyView() {
            @Override public String workerAddress() { return "tcp://127.0.0.1:4000"; }
            @Override public String workerName() { return "w1"; }
            @Override public long workerPid() { return 42; }
            @Override public String schedulerAddress() { return "tcp://127.0.0.1:8786"; }
            @Override public long memoryLimit() { return 0; }
            @Override public int workerStarts() { return 1; }
            @Override public void restartWorker(String reason) { }
        };
        assertTrue(new RestartOnInstall().restart());
        assertEquals("restart-on-install set up on the nanny of worker w1 (process 42, started 1 time(s)) of tcp://127.0.0.1:8786",
                RestartOnInstall.describe("set up", nanny));
    }
}
