package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.comm.netty.TransportConfig;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.WorkerProcesses.Reply;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.worker.process.WorkerProcess;

/**
 * {@link SchedulerServer#runOnEach} (the {@code WorkerProcesses} service) over real TCP: each
 * worker process runs its own registered function, off its loop and executors, and a worker
 * without the function or whose function throws answers with the reason.
 */
class RunOnWorkerProcessesTest {

    private LocalCluster cluster;
    private SchedulerServer server;
    private final List<WorkerProcess> workers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(LocalClusterConfig.of(0), TaskFunctionRegistry.withBuiltins());
        server = SchedulerServer.start(cluster.service(), new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()));
    }

    @AfterEach
    void stop() {
        workers.forEach(WorkerProcess::close);
        server.close();
        cluster.close();
    }

    private WorkerProcess worker(String name, TaskFunctionRegistry functions) {
        WorkerProcess w = WorkerProcess.start(new WorkerProcess.Config(server.address(), name, 1, Map.of(), "127.0.0.1",
                TransportConfig.defaults(), 20_000, 200, PluginHostConfig.DEFAULTS, false), functions);
        workers.add(w);
        return w;
    }

    private static TaskFunctionRegistry withWhereAmI(String answer) {
        TaskFunctionRegistry functions = TaskFunctionRegistry.withBuiltins();
        functions.register("where-am-i", (args, context) -> Map.of("answer", answer, "args", args, "key", context.key(),
                "worker", context.worker(), "thread", Thread.currentThread().getName()));
        functions.register("later", (args, context) -> java.util.concurrent.CompletableFuture.supplyAsync(() -> answer + " later"));
        functions.register("not-a-value", (args, context) -> new Object());
        functions.register("refuse", (args, context) -> {
            throw new IllegalStateException("refused " + args);
        });
        return functions;
    }

    @Test
    void eachWorkerProcessRunsItsOwnFunctionOnAThreadOfItsOwn() throws Exception {
        WorkerProcess one = worker("one", withWhereAmI("from one"));
        WorkerProcess two = worker("two", withWhereAmI("from two"));
        WorkerProcess plain = worker("plain", TaskFunctionRegistry.withBuiltins());

        List<Reply> replies = server.runOnEach("where-am-i", List.of("x", 2L)).get(20, TimeUnit.SECONDS);

        Map<String, Reply> byWorker = replies.stream().collect(Collectors.toMap(Reply::worker, Function.identity()));
        assertEquals(java.util.Set.of(one.address(), two.address(), plain.address()), byWorker.keySet());
        Map<?, ?> fromOne = (Map<?, ?>) byWorker.get(one.address()).value();
        assertNull(byWorker.get(one.address()).error());
        assertEquals("from one", fromOne.get("answer"));
        assertEquals(List.of("x", 2L), fromOne.get("args"));
        assertEquals(one.address(), fromOne.get("worker"));
        assertTrue(String.valueOf(fromOne.get("key")).startsWith("run-on-worker-where-am-i-"), fromOne.toString());
        assertEquals("weft-run-where-am-i", fromOne.get("thread"), "neither the loop nor an executor thread");
        assertEquals("from two", ((Map<?, ?>) byWorker.get(two.address()).value()).get("answer"));
        Reply missing = byWorker.get(plain.address());
        assertNull(missing.value());
        assertTrue(missing.error().contains("where-am-i"), missing.error());
    }

    @Test
    void aFunctionThatThrowsIsThatWorkersErrorAndTheOthersStillAnswer() throws Exception {
        WorkerProcess one = worker("one", withWhereAmI("from one"));
        List<Reply> replies = server.runOnEach("refuse", List.of("it")).get(20, TimeUnit.SECONDS);
        assertEquals(1, replies.size());
        assertEquals(one.address(), replies.get(0).worker());
        assertTrue(replies.get(0).error().contains("refused [it]"), replies.get(0).error());
    }

    @Test
    void withoutWorkerProcessesThereIsNoReply() throws Exception {
        assertEquals(List.of(), server.runOnEach("where-am-i", List.of()).get(5, TimeUnit.SECONDS));
    }

    @Test
    void aStageIsAnsweredWhenItCompletesAndAValueThatCannotCrossIsAnErrorNotALostWorker() throws Exception {
        WorkerProcess one = worker("one", withWhereAmI("from one"));
        List<Reply> later = server.runOnEach("later", List.of()).get(20, TimeUnit.SECONDS);
        assertEquals("from one later", later.get(0).value());
        List<Reply> bad = server.runOnEach("not-a-value", List.of()).get(20, TimeUnit.SECONDS);
        assertNull(bad.get(0).value());
        assertTrue(bad.get(0).error().contains("cannot cross processes"), bad.get(0).error());
        assertEquals(List.of(one.address()), List.copyOf(server.remoteWorkers()), "the worker is still connected");
        assertEquals("from one later", server.runOnEach("later", List.of()).get(20, TimeUnit.SECONDS).get(0).value());
    }

    @Test
    void aWorkerThatDoesNotAnswerInTimeIsSaidSoAndTheOthersAnswer() throws Exception {
        TaskFunctionRegistry hangs = withWhereAmI("from two");
        hangs.register("maybe", (args, context) -> new java.util.concurrent.CompletableFuture<>()); // never completes
        TaskFunctionRegistry answers = withWhereAmI("from three");
        answers.register("maybe", (args, context) -> "here");
        WorkerProcess two = worker("two", hangs);
        WorkerProcess three = worker("three", answers);
        Map<String, Reply> byWorker = server.runOnEach("maybe", List.of(), 1).get(20, TimeUnit.SECONDS).stream()
                .collect(Collectors.toMap(Reply::worker, Function.identity()));
        assertEquals("no answer within 1 s", byWorker.get(two.address()).error());
        assertEquals("here", byWorker.get(three.address()).value());
    }
}
