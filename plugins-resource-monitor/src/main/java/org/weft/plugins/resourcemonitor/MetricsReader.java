package org.weft.plugins.resourcemonitor;

/**
 * Another source of sampled metrics for this process (e.g. GPUs), read on the sampler thread at
 * every interval beside the {@link ResourceProbe}.
 */
interface MetricsReader {

    /** Short name, for status lines. */
    String name();

    /** One line about the source's state, e.g. "2 GPUs" or "no GPU found". */
    String describe();

    void read(GaugeSink sink);
}
