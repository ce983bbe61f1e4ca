package org.weft.pluginhost;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.weft.plugin.api.TransitionEvent;

/** Takes at least {@code nanos} in transition for keys starting with "slow" (busy: the point is the time taken). */
class SlowPlugin extends CountingPlugin {

    final long nanos;

    SlowPlugin(long millis) {
        this.nanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Override
    public void transition(TransitionEvent event) {
        super.transition(event);
        if (event.key().startsWith("slow")) {
            long end = System.nanoTime() + nanos;
            for (long left = nanos; left > 0; left = end - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }
    }
}
