package org.weft.launcher;

import org.osgi.framework.Bundle;

/**
 * A runtime bundle the launcher installed from bundle/&lt;level&gt;/.
 *
 * @param notStarted a fragment, or a bundle this process installs without starting it (the shell
 *        without a console): never expected to be active
 */
record DeployedBundle(Bundle bundle, String jar, int startLevel, boolean notStarted) {
}
