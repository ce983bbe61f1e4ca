package org.weft.launcher;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --resources}: numbers everywhere, {@code NAME=auto} only for {@code weft worker}. */
class ResourcesOptionTest {

    @Test
    void aWorkerMayAskForAutoAndALocalClusterIsToldWhyNot() {
        assertNull(ClusterOptions.resourcesProblem("GPU=auto,MEMORY=8e9", true));
        assertNull(ClusterOptions.resourcesProblem("GPU=1,MEMORY=8e9"));
        String local = ClusterOptions.resourcesProblem("GPU=auto");
        assertTrue(local.contains("NAME=auto is for weft worker"), local);
        String twice = ClusterOptions.resourcesProblem("GPU=auto,GPU=1", true);
        assertTrue(twice.contains("names 'GPU' twice"), twice);
        String bad = ClusterOptions.resourcesProblem("GPU=automatic", true);
        assertTrue(bad.contains("bad part 'GPU=automatic'"), bad);
    }
}
