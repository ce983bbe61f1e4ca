package org.weft.depot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.weft.protocol.BundleMessage;
import org.weft.protocol.BundleMessage.State;
import org.weft.protocol.Message;
import org.weft.protocol.SchedulerMessage;

class DepotInboxTest {

    /** A host whose installs wait for the test to let them finish. */
    static final class GatedHost implements BundleHost {
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> installed = Collections.synchronizedList(new ArrayList<>());

        @Override
        public BundleMessage.BundleState install(BundleMessage.InstallBundle bundle) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            installed.add(bundle.symbolicName());
            return new BundleMessage.BundleState(bundle.symbolicName(), bundle.sha256(), State.ACTIVE, null);
        }

        @Override
        public BundleMessage.BundleState uninstall(String symbolicName) {
            installed.remove(symbolicName);
            return new BundleMessage.BundleState(symbolicName, null, State.UNINSTALLED, null);
        }

        @Override
        public List<String> installed() {
            return List.copyOf(installed);
        }
    }

    private static Message compute(String key) {
        return new SchedulerMessage.FreeKeys(List.of(key), "s");
    }

    @Test
    void whatFollowsABundleWaitsUntilItIsInstalledAndOrderIsKept() {
        GatedHost host = new GatedHost();
        List<Message> delivered = Collections.synchronizedList(new ArrayList<>());
        List<Message> replies = Collections.synchronizedList(new ArrayList<>());
        try (DepotInbox inbox = new DepotInbox(host, delivered::addAll)) {
            inbox.received(List.of(compute("before"), new BundleMessage.InstallBundle("lib", "1", "00", new byte[1]),
                    compute("after-1")), replies::add);
            inbox.received(List.of(compute("after-2")), replies::add);
            assertEquals(List.of(compute("before")), delivered, "only what came before the bundle is delivered");
            host.release.countDown();
            await().atMost(10, TimeUnit.SECONDS).until(() -> delivered.size() == 3);
            assertEquals(List.of(compute("before"), compute("after-1"), compute("after-2")), delivered);
            assertEquals(List.of(new BundleMessage.BundleState("lib", "00", State.ACTIVE, null)), replies);
            inbox.received(List.of(compute("later")), replies::add);
            assertEquals(compute("later"), delivered.get(3), "with nothing installing, messages pass at once");
        }
    }

    @Test
    void aSyncUninstallsTheDepotBundlesTheSchedulerNoLongerHas() {
        GatedHost host = new GatedHost();
        host.release.countDown();
        host.installed.add("old");
        host.installed.add("kept");
        List<Message> replies = Collections.synchronizedList(new ArrayList<>());
        try (DepotInbox inbox = new DepotInbox(host, m -> {
        })) {
            inbox.received(List.of(new BundleMessage.DepotSync(List.of("kept"))), replies::add);
            await().atMost(10, TimeUnit.SECONDS).until(() -> !replies.isEmpty());
            assertEquals(List.of(new BundleMessage.BundleState("old", null, State.UNINSTALLED, null)), replies);
            assertTrue(host.installed().equals(List.of("kept")));
        }
    }
}
