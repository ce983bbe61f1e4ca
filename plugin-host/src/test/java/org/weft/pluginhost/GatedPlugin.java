package org.weft.pluginhost;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.weft.plugin.api.TransitionEvent;

/** Its first transition waits until the test opens the gate: lets a test fill an async queue. */
class GatedPlugin extends RecordingPlugin {

    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);

    GatedPlugin(String tag) {
        super(tag);
    }

    @Override
    public void transition(TransitionEvent event) {
        entered.countDown();
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.transition(event);
    }
}
