package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings in {@code etc/org.weft.scheduler.cfg} apply from the very first start: the
 * launcher lets FileInstall turn etc/ into configurations before the Weft bundles start.
 */
class EtcConfigIT {

    private static final Pattern STEALING_ROW = Pattern.compile("(?m)^stealing\\s");

    @Test
    void theShippedSettingsStartTheBuiltInStealingPlugin(@TempDir Path dir) throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        WeftInstall.Finished result = weft.run("weft:plugins\n", "local");
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(STEALING_ROW.matcher(result.stdout()).find(), result.all());
    }

    @Test
    void aSettingInEtcAppliesAtTheFirstStart(@TempDir Path dir) throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        Files.writeString(weft.home().resolve("etc/org.weft.scheduler.cfg"), "\nworkStealing = false\n",
                StandardOpenOption.APPEND);
        WeftInstall.Finished result = weft.run("weft:plugins\n", "local");
        assertEquals(0, result.exitCode(), result.all());
        assertFalse(STEALING_ROW.matcher(result.stdout()).find(), "workStealing = false is honoured: " + result.all());
        assertFalse(result.all().contains("applies when Weft next starts"), result.all());
    }
}
