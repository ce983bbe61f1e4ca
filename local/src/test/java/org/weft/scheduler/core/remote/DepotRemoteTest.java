package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.client.BundleUpload;
import org.weft.client.Client;
import org.weft.client.WeftFuture;
import org.weft.comm.netty.TransportConfig;
import org.weft.depot.Depot;
import org.weft.depot.DepotDistributor;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.protocol.StoryEntry;
import org.weft.worker.process.WorkerProcess;

/**
 * The depot over real TCP on loopback: a scheduler with one in-process worker (which has the
 * function {@code square}) and worker processes with no OSGi framework, which answer every depot
 * bundle FAILED; uploads by a remote client, and placement that keeps tasks away from a worker
 * where the bundle providing their function failed, including one that joins later.
 */
class DepotRemoteTest {

    @TempDir
    Path dir;
    private LocalCluster cluster;
    private DepotDistributor depot;
    private SchedulerServer server;
    private final List<WorkerProcess> workers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        TaskFunctionRegistry functions = TaskFunctionRegistry.withBuiltins();
        functions.register("square", new SquareFunction());
        cluster = LocalCluster.start(LocalClusterConfig.of(1).withValidation(true), functions);
        depot = new DepotDistributor(new Depot());
        server = SchedulerServer.start(cluster.service(), new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()), depot);
    }

    @AfterEach
    void stop() {
        workers.forEach(WorkerProcess::close);
        server.close();
        cluster.close();
    }

    private WorkerProcess worker(String name) {
        WorkerProcess w = WorkerProcess.start(new WorkerProcess.Config(server.address(), name, 2, Map.of(), "127.0.0.1",
                TransportConfig.defaults(), 20_000, 200, PluginHostConfig.DEFAULTS, true), TaskFunctionRegistry.withBuiltins());
        workers.add(w);
        return w;
    }

    private void awaitWorkers(int n) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (cluster.scheduler().query(s -> s.workers().size()).get() != n) {
            assertTrue(System.currentTimeMillis() < deadline, "workers did not join");
            Thread.sleep(10);
        }
    }

    private Path plainJar() throws Exception {
        Path jar = dir.resolve("squares-2.0.jar");
        String path = SquareFunction.class.getName().replace('.', '/') + ".class";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream out = new JarOutputStream(bytes, manifest);
                InputStream in = SquareFunction.class.getClassLoader().getResourceAsStream(path)) {
            out.putNextEntry(new JarEntry(path));
            in.transferTo(out);
            out.closeEntry();
        }
        return Files.write(jar, bytes.toByteArray());
    }

    /** Keys to the workers whose story shows them executing it. */
    private List<String> executedOn(String worker, List<String> keys) throws Exception {
        List<String> out = new ArrayList<>();
        for (StoryEntry e : cluster.story(keys).get(10, TimeUnit.SECONDS)) {
            if (worker.equals(e.where()) && "executing".equals(e.finish())) {
                out.add(e.key());
            }
        }
        return out;
    }

    @Test
    void anUploadedJarFailingOnAWorkerKeepsItsTasksAwayFromThatWorkerAndFromOneJoiningLater() throws Exception {
        WorkerProcess w1 = worker("w1");
        awaitWorkers(2);
        try (Client remote = Client.connect(server.address())) {
            BundleUpload upload = remote.uploadJar(plainJar());
            assertEquals("squares", upload.symbolicName());
            assertEquals("2.0.0", upload.version());
            assertEquals(List.of("square"), upload.functions());
            assertEquals(1, upload.workers().size(), upload.toString());
            BundleUpload.WorkerState onW1 = upload.workers().get(0);
            assertEquals(w1.address(), onW1.worker());
            assertEquals("FAILED", onW1.state());
            assertTrue(onW1.cause().contains("without an OSGi framework"), onW1.cause());

            WorkerProcess w2 = worker("w2"); // gets the depot (and fails it) before it is given tasks
            awaitWorkers(3);
            assertEquals(List.of("FAILED"), depot.rows("squares").stream()
                    .filter(r -> r.worker().equals(w2.address())).map(r -> r.state().name()).toList());

            List<WeftFuture> squares = new ArrayList<>();
            List<WeftFuture> incs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                squares.add(remote.submit("square", i));
                incs.add(remote.submit("inc", i));
            }
            for (int i = 0; i < 40; i++) {
                assertEquals((long) i * i, squares.get(i).get(30, TimeUnit.SECONDS));
                assertEquals(i + 1L, incs.get(i).get(30, TimeUnit.SECONDS));
            }
            List<String> squareKeys = squares.stream().map(WeftFuture::key).toList();
            assertEquals(List.of(), executedOn(w1.address(), squareKeys), "no square task ran where its bundle failed");
            assertEquals(List.of(), executedOn(w2.address(), squareKeys), "nor on the worker that joined later");
        }
    }

    @Test
    void anUploadThatIsNotABundleIsRefusedWithTheReasonAndAnInProcessClientHasNoDepot() throws Exception {
        worker("w1");
        awaitWorkers(2);
        Path text = Files.writeString(dir.resolve("notes.jar"), "not a jar at all");
        try (Client remote = Client.connect(server.address())) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> remote.uploadBundle(text));
            assertTrue(refused.getMessage().contains("not a bundle") || refused.getMessage().contains("not a readable jar"),
                    refused.getMessage());
            IllegalArgumentException noFunctions = assertThrows(IllegalArgumentException.class, () -> remote.uploadJar(text));
            assertTrue(noFunctions.getMessage().contains("no class annotated @TaskFunctionName"), noFunctions.getMessage());
        }
        Client local = cluster.client();
        assertThrows(UnsupportedOperationException.class, () -> local.uploadBundle(text));
        assertTrue(depot.depot().bundles().isEmpty());
    }
}
