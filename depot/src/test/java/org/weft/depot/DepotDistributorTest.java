package org.weft.depot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.weft.protocol.BundleMessage;
import org.weft.protocol.BundleMessage.State;
import org.weft.protocol.Message;

class DepotDistributorTest {

    private final Depot depot = new Depot();
    private final DepotDistributor distributor = new DepotDistributor(depot);
    private final Map<String, Set<String>> missing = new ConcurrentHashMap<>();

    DepotDistributorTest() {
        distributor.onMissingFunctions(missing::put);
    }

    static DepotBundle functions(String name, String version, String... functions) {
        TestJars jar = TestJars.bundle(name, version);
        StringBuilder components = new StringBuilder();
        for (String f : functions) {
            String path = "OSGI-INF/" + f + ".xml";
            jar.entry(path, TestJars.component(f, "x." + f, BundleFacts.TASK_FUNCTION, f));
            components.append(components.length() == 0 ? "" : ",").append(path);
        }
        return DepotBundle.of(jar.header("Service-Component", components.toString()).build(), "test");
    }

    private static BundleMessage.BundleState state(DepotBundle b, State state, String cause) {
        return new BundleMessage.BundleState(b.symbolicName(), b.sha256(), state, cause);
    }

    @Test
    void aJoiningWorkerGetsEveryBundleThenTheSyncAndJoinsOnceItAnsweredForEach() {
        DepotBundle a = functions("a", "1", "fa");
        DepotBundle b = functions("b", "1", "fb");
        depot.put(a);
        depot.put(b);
        List<Message> sent = new ArrayList<>();
        CompletableFuture<Void> joined = distributor.workerJoining("tcp://w:1", "w", sent::addAll);
        assertEquals(3, sent.size());
        assertEquals("a", ((BundleMessage.InstallBundle) sent.get(0)).symbolicName());
        assertEquals(b.sha256(), ((BundleMessage.InstallBundle) sent.get(1)).sha256());
        assertEquals(new BundleMessage.DepotSync(List.of("a", "b")), sent.get(2));
        distributor.received("tcp://w:1", state(a, State.ACTIVE, null));
        assertFalse(joined.isDone());
        distributor.received("tcp://w:1", state(b, State.FAILED, "missing requirement osgi.wiring.package=org.nowhere"));
        assertTrue(joined.isDone());
        assertEquals(Set.of("fb"), distributor.missingFunctions("tcp://w:1"));
        assertEquals(Set.of("fb"), missing.get("tcp://w:1"));
        List<DepotDistributor.Row> rows = distributor.rows();
        assertEquals(DepotDistributor.RowState.ACTIVE, rows.get(0).state());
        assertEquals(DepotDistributor.RowState.FAILED, rows.get(1).state());
        assertEquals("missing requirement osgi.wiring.package=org.nowhere", rows.get(1).cause());
    }

    static DepotBundle nannyPlugin(String name, String version) {
        TestJars jar = TestJars.bundle(name, version);
        jar.entry("OSGI-INF/n.xml", TestJars.component("n", "x.N", BundleFacts.NANNY_PLUGIN, null));
        return DepotBundle.of(jar.header("Service-Component", "OSGI-INF/n.xml").build(), "test");
    }

    /**
     * Nannies get the bundles that provide nanny plugins, now and as they change; workers get the
     * others; each kind's rows show only what it takes.
     */
    @Test
    void nanniesGetTheNannyPluginBundlesAndWorkersTheOthers() {
        DepotBundle fn = functions("fn", "1", "f");
        DepotBundle np = nannyPlugin("np", "1");
        depot.put(fn);
        depot.put(np);
        List<Message> toWorker = new ArrayList<>();
        List<Message> toNanny = new ArrayList<>();
        CompletableFuture<Void> workerJoined = distributor.workerJoining("tcp://w:1", "w", toWorker::addAll);
        CompletableFuture<Void> nannyJoined = distributor.nannyJoining("nanny-1", "nanny of w", toNanny::addAll);
        assertEquals(List.of("fn"), toWorker.stream().filter(m -> m instanceof BundleMessage.InstallBundle)
                .map(m -> ((BundleMessage.InstallBundle) m).symbolicName()).toList());
        assertEquals(new BundleMessage.DepotSync(List.of("np")), toNanny.get(1));
        assertEquals("np", ((BundleMessage.InstallBundle) toNanny.get(0)).symbolicName());
        distributor.received("tcp://w:1", state(fn, State.ACTIVE, null));
        assertTrue(workerJoined.isDone(), "the worker waits for no nanny plugin");
        assertFalse(nannyJoined.isDone());
        distributor.received("nanny-1", state(np, State.ACTIVE, null));
        assertTrue(nannyJoined.isDone());
        assertEquals(List.of("fn w ACTIVE", "np nanny of w ACTIVE"), distributor.rows().stream()
                .map(r -> r.symbolicName() + " " + r.workerName() + " " + r.state()).toList());

        toNanny.clear();
        toWorker.clear();
        DepotBundle np2 = nannyPlugin("np", "2");
        depot.put(np2);
        assertEquals(List.of("np"), toNanny.stream().map(m -> ((BundleMessage.InstallBundle) m).symbolicName()).toList());
        assertTrue(toWorker.isEmpty(), "a worker is not sent a nanny plugin: " + toWorker);
        depot.remove("np");
        assertEquals(new BundleMessage.UninstallBundle("np"), toNanny.get(1));
        assertTrue(toWorker.isEmpty());

        List<Message> again = new ArrayList<>();
        distributor.nannyJoining("nanny-1", "nanny of w", again::addAll); // connects again: replaces its entry
        distributor.workerLeft("nanny-1", toNanny::addAll); // the old link's close comes late: ignored
        assertEquals(List.of("fn w ACTIVE"), distributor.rows().stream()
                .map(r -> r.symbolicName() + " " + r.workerName() + " " + r.state()).toList());
        depot.put(np);
        assertEquals("np", ((BundleMessage.InstallBundle) again.get(1)).symbolicName(), "the new link gets it");
    }

    @Test
    void anEmptyDepotLetsAWorkerJoinAtOnce() {
        List<Message> sent = new ArrayList<>();
        assertTrue(distributor.workerJoining("tcp://w:1", "w", sent::addAll).isDone());
        assertEquals(List.of(new BundleMessage.DepotSync(List.of())), sent);
    }

    @Test
    void changesGoToEveryConnectedWorkerInOrderAndUploadsWaitForTheirAnswers() {
        List<Message> one = new ArrayList<>();
        List<Message> two = new ArrayList<>();
        distributor.workerJoining("tcp://w:1", "one", one::addAll);
        distributor.workerJoining("tcp://w:2", "two", two::addAll);
        one.clear();
        two.clear();
        DepotBundle v1 = functions("lib", "1.0.0", "f");
        depot.put(v1);
        CompletableFuture<List<DepotDistributor.Row>> settled = distributor.settled("lib");
        assertEquals(1, one.size());
        assertEquals(one, two);
        distributor.received("tcp://w:1", state(v1, State.ACTIVE, null));
        assertFalse(settled.isDone());
        assertEquals(DepotDistributor.RowState.PENDING, distributor.rows("lib").get(1).state());
        distributor.received("tcp://w:2", state(v1, State.ACTIVE, null));
        assertTrue(settled.isDone());

        DepotBundle v2 = functions("lib", "2.0.0", "f");
        assertEquals(v1, depot.put(v2).before());
        BundleMessage.InstallBundle update = assertInstanceOf(BundleMessage.InstallBundle.class, one.get(1));
        assertEquals("2.0.0", update.version());
        // the worker still reports the old revision: pending until it answers for the new one
        assertEquals(DepotDistributor.RowState.PENDING, distributor.rows("lib").get(0).state());
        assertEquals(null, depot.put(v2), "the same bytes again change nothing");
        assertEquals(2, one.size());

        depot.remove("lib");
        assertEquals(new BundleMessage.UninstallBundle("lib"), one.get(2));
        assertEquals(new BundleMessage.UninstallBundle("lib"), two.get(2));
        assertEquals(DepotDistributor.RowState.REMOVING, distributor.rows().get(0).state());
        distributor.received("tcp://w:1", new BundleMessage.BundleState("lib", v2.sha256(), State.UNINSTALLED, null));
        distributor.received("tcp://w:2", new BundleMessage.BundleState("lib", v1.sha256(), State.UNINSTALLED, null));
        assertTrue(distributor.rows().isEmpty());
    }

    @Test
    void aFailedBundleStopsMissingOnceItsNextRevisionIsActive() {
        distributor.workerJoining("tcp://w:1", "w", m -> {
        });
        DepotBundle v1 = functions("lib", "1", "f", "g");
        depot.put(v1);
        distributor.received("tcp://w:1", state(v1, State.FAILED, "no"));
        assertEquals(Set.of("f", "g"), missing.get("tcp://w:1"));
        DepotBundle v2 = functions("lib", "2", "f", "g");
        depot.put(v2);
        assertEquals(Set.of(), missing.get("tcp://w:1"), "the failed revision is no longer the depot's");
        distributor.received("tcp://w:1", state(v2, State.ACTIVE, null));
        assertEquals(Set.of(), distributor.missingFunctions("tcp://w:1"));
    }

    @Test
    void aWorkerThatLeavesWhileJoiningNeverJoinsAndNoLongerHoldsUpUploads() {
        depot.put(functions("a", "1", "f"));
        CompletableFuture<Void> joined = distributor.workerJoining("tcp://w:1", "w", m -> {
        });
        CompletableFuture<List<DepotDistributor.Row>> settled = distributor.settled("a");
        distributor.workerLeft("tcp://w:1");
        assertTrue(joined.isCompletedExceptionally());
        assertTrue(settled.isDone());
        assertTrue(distributor.rows().isEmpty() || distributor.rows().stream().noneMatch(r -> r.worker().equals("tcp://w:1")));
    }

    @Test
    void anUploadedPlainJarIsWrappedAndItsResultNamesEachWorkersState() throws Exception {
        List<Message> sent = new ArrayList<>();
        distributor.workerJoining("tcp://w:1", "w", sent::addAll);
        byte[] plain = TestJars.plain().classOf(Square.class).build();
        CompletableFuture<Map<String, Object>> upload = distributor.upload("squares-1.4.jar", plain, true);
        BundleMessage.InstallBundle install = (BundleMessage.InstallBundle) sent.get(1);
        assertEquals("squares", install.symbolicName());
        distributor.received("tcp://w:1", new BundleMessage.BundleState("squares", install.sha256(), State.ACTIVE, null));
        Map<String, Object> result = upload.get();
        assertEquals("squares", result.get("symbolicName"));
        assertEquals("1.4.0", result.get("version"));
        assertEquals(List.of("square"), result.get("functions"));
        assertEquals(List.of(Map.of("worker", "tcp://w:1", "name", "w", "state", "ACTIVE")),
                ((List<?>) result.get("workers")).stream().map(o -> {
                    Map<?, ?> m = (Map<?, ?>) o;
                    return Map.of("worker", m.get("worker"), "name", m.get("name"), "state", m.get("state"));
                }).toList());
    }

    @Test
    void anUploadThatIsNotABundleFailsWithTheReason() {
        CompletableFuture<Map<String, Object>> upload = distributor.upload("x.jar", TestJars.plain().build(), false);
        Throwable cause = upload.handle((v, e) -> e).join();
        assertInstanceOf(IllegalArgumentException.class, cause);
        assertTrue(cause.getMessage().contains("Bundle-SymbolicName"), cause.getMessage());
    }
}
