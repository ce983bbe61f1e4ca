package org.weft.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's settings from framework properties: on or off, the token, the upload limit. */
class DashboardSettingsTest {

    @TempDir
    Path data;

    private DashboardSettings read(Map<String, String> properties) throws Exception {
        return DashboardSettings.read(properties::get);
    }

    @Test
    void withoutAClusterTokenOneIsMadeAndKeptForItsOwnerOnly() throws Exception {
        DashboardSettings s = read(Map.of("weft.dashboard", "127.0.0.1:8787", "weft.data", data.toString()));
        assertTrue(s.enabled());
        assertEquals(data.resolve("dashboard-token"), s.tokenFile());
        assertEquals(s.token(), Files.readString(s.tokenFile()).trim());
        assertEquals(48, s.token().length(), "24 random bytes in hex");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.tokenFile())));
        assertFalse(s.token().equals(read(Map.of("weft.dashboard", "127.0.0.1:8787", "weft.data", data.toString())).token()),
                "a new one at each start");
        assertEquals(DashboardSettings.DEFAULT_MAX_UPLOAD_BYTES, s.maxUploadBytes());
    }

    @Test
    void theClusterTokenIsUsedAndNothingIsWritten() throws Exception {
        DashboardSettings s = read(Map.of("weft.dashboard", "0.0.0.0:8787", "weft.data", data.toString(), "weft.token", "t0ken",
                "weft.dashboard.maxUploadBytes", "1000"));
        assertEquals("t0ken", s.token());
        assertNull(s.tokenFile());
        assertFalse(Files.exists(data.resolve("dashboard-token")));
        assertEquals(1000, s.maxUploadBytes());
    }

    @Test
    void offOrUnsetMeansNoDashboard() throws Exception {
        assertFalse(read(Map.of("weft.dashboard", "off", "weft.data", data.toString())).enabled());
        assertFalse(read(Map.of("weft.data", data.toString())).enabled(), "bin/weft demo sets nothing");
        assertFalse(Files.exists(data.resolve("dashboard-token")));
    }

    @Test
    void aBadUploadLimitIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(Map.of("weft.dashboard", "on",
                "weft.data", data.toString(), "weft.dashboard.maxUploadBytes", "lots")));
        assertTrue(e.getMessage().contains("weft.dashboard.maxUploadBytes"), e.getMessage());
    }
}
