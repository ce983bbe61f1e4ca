package org.weft.nanny;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.NannyPlugin;
import org.weft.plugin.api.NannyView;

class NannyPluginsTest {

    private final List<String> calls = new ArrayList<>();
    private final NannyPlugins plugins = new NannyPlugins(null, name -> calls.add("restart after " + name));

    private NannyPlugin plugin(String label, boolean restart, boolean failSetup) {
        return new NannyPlugin() {
            @Override
            public void setup(NannyView nanny) {
                calls.add("setup " + label);
                if (failSetup) {
                    throw new IllegalStateException("broken " + label);
                }
            }

            @Override
            public void teardown(NannyView nanny) {
                calls.add("teardown " + label);
            }

            @Override
            public boolean restart() {
                return restart;
            }
        };
    }

    @Test
    void aPluginIsSetUpOnArrivalAndTornDownWhenItLeaves() {
        assertTrue(plugins.add(1L, "a", false, plugin("a", false, false)));
        plugins.remove(1L);
        plugins.remove(1L);
        assertEquals(List.of("setup a", "teardown a"), calls);
    }

    @Test
    void theSameNameReplacesTheOldOneUnlessTheNewcomerIsIdempotent() {
        plugins.add(1L, "p", false, plugin("v1", false, false));
        plugins.add(2L, "p", false, plugin("v2", false, false));
        assertFalse(plugins.add(3L, "p", true, plugin("v3", false, false)));
        plugins.remove(1L); // the replaced one's registration leaving changes nothing
        assertEquals(List.of("setup v1", "teardown v1", "setup v2"), calls);
        assertEquals(List.of("p"), plugins.names());
    }

    @Test
    void aRestartFlaggedPluginRestartsTheWorkerAfterASuccessfulSetupOnly() {
        plugins.add(1L, "r", false, plugin("r", true, false));
        assertFalse(plugins.add(2L, "broken", false, plugin("broken", true, true)));
        plugins.remove(2L);
        assertEquals(List.of("setup r", "restart after r", "setup broken"), calls);
        assertEquals(List.of("r"), plugins.names());
    }

    @Test
    void stoppingTearsEveryPluginDownLastAddedFirst() {
        plugins.add(1L, "a", false, plugin("a", false, false));
        plugins.add(2L, "b", false, plugin("b", false, false));
        plugins.teardownAll();
        assertEquals(List.of("setup a", "setup b", "teardown b", "teardown a"), calls);
        assertTrue(plugins.names().isEmpty());
    }
}
