package org.weft.plugins.resourcemonitor;

import org.weft.plugin.api.TaskView;

/**
 * Dask's {@code key_split}, as the scheduler groups tasks: {@code inc-1f2e3d4c} → {@code inc},
 * {@code pi-chunk-17} → {@code pi-chunk}: the first word, then each further word made only of
 * letters, up to an empty word, another character, or an 8-digit hex token ({@link TaskView#prefixLength}).
 */
final class KeyPrefix {

    private KeyPrefix() {
    }

    static String of(String key) {
        return key.substring(0, TaskView.prefixLength(key));
    }
}
