package org.weft.examples.nannyrestart;

import java.lang.System.Logger.Level;

import org.osgi.service.component.annotations.Component;
import org.weft.plugin.api.NannyPlugin;
import org.weft.plugin.api.NannyView;
import org.weft.plugin.api.PluginName;

/**
 * A nanny plugin marked {@code restart}: when it is installed on a running nanny (dropped into the
 * nanny's {@code plugins/}, or installed from its shell), the nanny restarts its worker as a fresh
 * process after this plugin's setup, so whatever this bundle brings takes effect in a clean worker.
 * It logs the worker it found at setup and at teardown.
 */
@Component
@PluginName("restart-on-install")
public class RestartOnInstall implements NannyPlugin {

    private static final System.Logger LOG = System.getLogger(RestartOnInstall.class.getName());

    @Override
    public void setup(NannyView nanny) {
        LOG.log(Level.INFO, describe("set up", nanny));
    }

    @Override
    public void teardown(NannyView nanny) {
        LOG.log(Level.INFO, describe("torn down", nanny));
    }

    @Override
    public boolean restart() {
        return true;
    }

    static String describe(String what, NannyView nanny) {
        return "restart-on-install " + what + " on the nanny of worker "
                + (nanny.workerName() != null ? nanny.workerName() : "(unnamed)") + " (process " + nanny.workerPid()
                + ", started " + nanny.workerStarts() + " time(s)) of " + nanny.schedulerAddress();
    }
}
