package org.weft.launcher;

import org.osgi.framework.Bundle;

/** A runtime bundle the launcher installed from bundle/&lt;level&gt;/. */
record DeployedBundle(Bundle bundle, String jar, int startLevel, boolean fragment) {
}
