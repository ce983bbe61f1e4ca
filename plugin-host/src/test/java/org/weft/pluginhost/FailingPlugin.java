package org.weft.pluginhost;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.weft.plugin.api.DownscalingRequest;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TransitionEvent;

/** Throws from transition for the keys it is told to (all by default), or from start. */
class FailingPlugin extends CountingPlugin {

    final boolean failStart;
    final Predicate<String> failKey;
    final AtomicInteger failures = new AtomicInteger();

    FailingPlugin() {
        this(false, key -> true);
    }

    FailingPlugin(boolean failStart, Predicate<String> failKey) {
        this.failStart = failStart;
        this.failKey = failKey;
    }

    static FailingPlugin failingStart() {
        return new FailingPlugin(true, key -> false);
    }

    @Override
    public void start(SchedulerView scheduler) {
        super.start(scheduler);
        if (failStart) {
            throw new IllegalStateException("start refused on purpose");
        }
    }

    @Override
    public void transition(TransitionEvent event) {
        super.transition(event);
        if (failKey.test(event.key())) {
            failures.incrementAndGet();
            throw new IllegalStateException("transition failed on purpose for " + event.key());
        }
    }

    @Override
    public Set<String> validWorkersDownscaling(DownscalingRequest request) {
        throw new IllegalStateException("no opinion, on purpose");
    }
}
