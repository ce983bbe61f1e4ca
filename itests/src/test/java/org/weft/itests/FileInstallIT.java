package org.weft.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/** Hot deploy through Felix FileInstall: drop a plugin jar in, replace it, delete it. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FileInstallIT extends WeftTestSupport {

    private Path deployed() {
        return fileInstallDir(FileInstallIT.class).resolve("counter.jar");
    }

    /** Copies next to the folder, then moves in at once, with a modification time FileInstall sees as new. */
    private void drop(String jar, Instant modified) throws Exception {
        Path staging = Files.createTempFile(workDir(), "staging-", ".jar");
        Files.copy(bundleFile(jar).toPath(), staging, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(staging, FileTime.from(modified));
        Files.move(staging, deployed(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code counter:version} through the shell, or null while the command is not there. */
    private String shellVersion() {
        try {
            Object value = run("counter:version").value();
            return value == null ? null : value.toString();
        } catch (Exception notThereYet) {
            return null;
        }
    }

    @After
    public void removeDroppedJar() throws Exception {
        if (Files.deleteIfExists(deployed())) {
            await("FileInstall uninstalled the counter", () -> bundleNamed(COUNTER_BSN) == null);
        }
    }

    @Test
    public void dropInReplaceAndDelete() throws Exception {
        assertNull("no counter before the drop", bundleNamed(COUNTER_BSN));
        Instant now = Instant.now();

        drop(COUNTER_V1, now);
        Bundle bundle = awaitValue("FileInstall installed and started the counter", () -> {
            Bundle b = bundleNamed(COUNTER_BSN);
            return b != null && b.getState() == Bundle.ACTIVE ? b : null;
        });
        long id = bundle.getBundleId();
        assertEquals("1.0.0", bundle.getVersion().toString());
        await("counter:version = 1", () -> "1".equals(shellVersion()));
        await("counter ACTIVE in weft:plugins", () -> pluginRows("counter", "ACTIVE").size() == 1);

        drop(COUNTER_V2, now.plusSeconds(5));
        await("counter:version = 2 after the jar was replaced", () -> "2".equals(shellVersion()));
        Bundle updated = bundleNamed(COUNTER_BSN);
        assertEquals("updated in place, same bundle id", id, updated.getBundleId());
        assertEquals("2.0.0", updated.getVersion().toString());
        await("counter 2.0.0 ACTIVE in weft:plugins", () -> pluginRows("counter", "ACTIVE").size() == 1
                && "2.0.0".equals(pluginRows("counter", "ACTIVE").get(0).get("VERSION")));

        Files.delete(deployed());
        await("FileInstall uninstalled the counter", () -> bundleNamed(COUNTER_BSN) == null);
        // Felix drops the bundle from its list a moment before the state reads UNINSTALLED
        await("the bundle is UNINSTALLED", () -> bundle.getState() == Bundle.UNINSTALLED);
        await("counter no longer ACTIVE", () -> pluginRows("counter", "ACTIVE").isEmpty());
    }
}
