package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.weft.client.Client;
import org.weft.client.ClientOptions;
import org.weft.client.Graph;
import org.weft.client.TaskOptions;
import org.weft.client.WeftFuture;
import org.weft.comm.netty.TransportConfig;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.protocol.ClientMessage;
import org.weft.protocol.Codec;
import org.weft.protocol.DataMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Message;
import org.weft.protocol.ProtocolException;
import org.weft.protocol.Role;
import org.weft.protocol.SchedulerMessage;
import org.weft.protocol.TaskRef;
import org.weft.protocol.WorkerMessage;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.worker.process.WorkerProcess;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;

/**
 * Hostile input against a live scheduler: while a remote client runs trees of {@code inc}/{@code add}
 * tasks on two worker processes, several threads send at least 10 000 hostile inputs to the
 * scheduler's port over raw sockets (random bytes, bad lengths, mutated Smile frames taken from the
 * real codec, hellos followed by garbage or by messages their role may not send, wrong tokens and
 * versions, cut frames, empty connections) and one "squatter" joins as a worker with a bogus address,
 * takes tasks and never answers. The scheduler must finish every graph correctly (the squatter is
 * removed by the worker TTL), keep serving new clients and workers, leak no threads or memory, and
 * count what it refused.
 *
 * <p>What is sent is a function of the seed (printed; {@code -Dweft.fuzz.seed=N} replays it) and the
 * input's number, whatever the timing. {@code -Dweft.fuzz.inputs=N} sends more.
 */
class FuzzTest {

    private static final long SEED = Long.getLong("weft.fuzz.seed", 0x5EED_2026_1206L);
    private static final int INPUTS = Math.max(10_000, Integer.getInteger("weft.fuzz.inputs", 10_000));
    private static final int THREADS = 4;
    private static final String TOKEN = "fuzz-token";
    /** Long enough that the real workers (heartbeats every 200 ms) outlast a heavily loaded machine. */
    private static final long WORKER_TTL_MILLIS = 8_000;
    private static final int LEAVES = 1024;
    /** A fuzzing socket waits this long for the scheduler to close after it stopped sending: longer is a hang. */
    private static final int READ_TIMEOUT_MILLIS = 15_000;
    private static final String SQUATTER = "tcp://127.0.0.1:9";

    private static final Codec CODEC = new Codec();
    private static final ObjectMapper SMILE = new ObjectMapper(new SmileFactory());

    private LocalCluster cluster;
    private SchedulerServer server;
    private final List<WorkerProcess> workers = new CopyOnWriteArrayList<>();
    private InetSocketAddress port;

    /** What the scheduler answered first on fuzzing connections, by op ("eof": nothing, "reset": cut). */
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final AtomicInteger hangs = new AtomicInteger();
    /** compute-task messages the scheduler sent to fuzzing connections that got in as workers. */
    private final LongAdder fakeComputeTasks = new LongAdder();

    private Templates templates;

    @BeforeEach
    void start() {
        // A fake worker that joins, is sent tasks and drops its link is a worker that died while running them, as in
        // Dask: with the default allowed failures (3) four of them on one task make it err with KilledWorker. The token
        // is the only line the scheduler can draw, and the fuzz holds it, so here a task survives any number of them.
        SchedulerConfig d = LocalClusterConfig.of(0).withValidation(true).withWorkerTtl(WORKER_TTL_MILLIS).scheduler();
        SchedulerConfig scheduler = new SchedulerConfig(d.validate(), d.storyCapacity(), 1_000_000, d.workerSaturation(),
                d.fifoTimeoutMillis(), d.bandwidth(), d.workStealing(), d.workerTtlMillis(), d.idleTimeoutMillis());
        cluster = LocalCluster.start(LocalClusterConfig.of(0).withScheduler(scheduler), TaskFunctionRegistry.withBuiltins());
        server = SchedulerServer.start(cluster.service(),
                new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults().withToken(TOKEN)));
        String a = server.address().substring("tcp://".length());
        port = new InetSocketAddress("127.0.0.1", Integer.parseInt(a.substring(a.lastIndexOf(':') + 1)));
    }

    @AfterEach
    void stop() {
        workers.forEach(WorkerProcess::close);
        server.close();
        cluster.close();
    }

    private WorkerProcess worker(String name) {
        WorkerProcess w = WorkerProcess.start(new WorkerProcess.Config(server.address(), name, 1, Map.of(), "127.0.0.1",
                TransportConfig.defaults().withToken(TOKEN), 20_000, 200, PluginHostConfig.DEFAULTS, true),
                TaskFunctionRegistry.withBuiltins());
        workers.add(w);
        return w;
    }

    private Set<String> schedulerWorkers() throws Exception {
        return cluster.scheduler().query(s -> Set.copyOf(s.workers().keySet())).get(10, TimeUnit.SECONDS);
    }

    private void awaitWorkers(Set<String> expected) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!schedulerWorkers().equals(expected)) {
            if (System.currentTimeMillis() > deadline) {
                dumpThreads();
            }
            assertTrue(System.currentTimeMillis() < deadline, "workers " + schedulerWorkers() + ", expected " + expected);
            Thread.sleep(20);
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void hostileInputNeitherBreaksNorStallsNorLeaksAndIsCounted() throws Exception {
        System.out.println("FuzzTest: seed " + SEED + " (-Dweft.fuzz.seed=" + SEED + " replays it), " + INPUTS + " inputs");
        WorkerProcess w1 = worker("w1");
        WorkerProcess w2 = worker("w2");
        awaitWorkers(Set.of(w1.address(), w2.address()));
        templates = new Templates(w1.address());
        ClientOptions options = ClientOptions.defaults().withToken(TOKEN);
        try (Client client = Client.connect(server.address(), options)) {
            // warm up what starts lazily (the transport's event loops, the client's threads), then measure
            assertEquals(expectedTree(16), runTree(client, "warm", 16));
            ExecutorService warm = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> warmed = new ArrayList<>();
            for (int i = 0; i < 4 * Runtime.getRuntime().availableProcessors(); i++) {
                byte[] hello = frame(templates.clientHello);
                warmed.add(warm.submit(() -> exchange(hello, Close.GRACEFUL)));
            }
            for (Future<?> f : warmed) {
                f.get(30, TimeUnit.SECONDS);
            }
            warm.shutdown();
            assertTrue(warm.awaitTermination(10, TimeUnit.SECONDS));
            answers.clear();
            Thread.sleep(500);
            int threadsBefore = liveThreads();
            // the threads that serve every connection: the scheduler's loop, the transports' event loops
            List<Thread> serving = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("weft-scheduler") || t.getName().startsWith("weft-netty")).toList();
            List<String> uncaught = new CopyOnWriteArrayList<>();
            Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
            Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(t.getName() + ": " + e));
            long heapBefore = usedHeapAfterGc();
            Map<String, Long> statsBefore = server.transportStats();

            // the real work: trees of inc/add, one after another, until the fuzz is over
            AtomicBoolean fuzzing = new AtomicBoolean(true);
            List<String> wrong = new CopyOnWriteArrayList<>();
            AtomicInteger rounds = new AtomicInteger();
            ExecutorService graphs = Executors.newSingleThreadExecutor();
            Future<?> graphsDone = graphs.submit(() -> {
                int round = 0;
                do {
                    try {
                        long got = runTree(client, "r" + round, LEAVES);
                        if (got != expectedTree(LEAVES)) {
                            wrong.add("round " + round + ": " + got);
                        }
                    } catch (Exception e) {
                        wrong.add("round " + round + ": " + e);
                    }
                    rounds.incrementAndGet();
                    round++;
                } while (fuzzing.get() && wrong.isEmpty());
                return null;
            });

            // the squatter: a well-formed worker hello with a bogus data address, then silence
            Squatter squatter = new Squatter();
            squatter.start();

            long started = System.currentTimeMillis();
            ExecutorService fuzzers = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> parts = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < THREADS; t++) {
                parts.add(fuzzers.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < INPUTS;) {
                        fuzz(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                f.get(180, TimeUnit.SECONDS);
            }
            fuzzers.shutdown();
            assertTrue(fuzzers.awaitTermination(10, TimeUnit.SECONDS));
            long fuzzMillis = System.currentTimeMillis() - started;
            fuzzing.set(false);
            graphsDone.get(120, TimeUnit.SECONDS);
            graphs.shutdown();
            System.out.println("FuzzTest: " + INPUTS + " inputs in " + fuzzMillis + " ms, " + rounds.get()
                    + " graphs of " + (2 * LEAVES - 1) + " tasks; first answers " + new TreeMap<>(answers)
                    + ", " + fakeComputeTasks.sum() + " compute-task sent to fake workers; squatter " + squatter.outcome());

            assertEquals(List.of(), wrong, "every graph finished with the right result");
            assertEquals(0, hangs.get(), "the scheduler closed every fuzzing connection once it stopped sending");

            // the squatter got in, but the worker TTL took it out of the scheduler's state and closed its link
            // (its tasks ran elsewhere: every graph was right)
            assertTrue(squatter.welcomed.get(), "the squatter's hello was well-formed: " + squatter.outcome());
            squatter.join(20_000);
            assertTrue(squatter.closedByScheduler.get() >= 0, "the scheduler closed the squatter: " + squatter.outcome());
            awaitWorkers(Set.of(w1.address(), w2.address())); // no hostile peer is left among the scheduler's workers
            squatter.close();

            Map<String, Long> stats = server.transportStats();
            System.out.println("FuzzTest: transport " + stats);
            long refused = delta(stats, statsBefore, "refused.");
            long errors = delta(stats, statsBefore, "errors.");
            assertTrue(refused > 0 && errors > 0, "refusals and protocol errors were counted: " + stats);
            assertTrue(delta(stats, statsBefore, "refused.token") > 0 && delta(stats, statsBefore, "refused.version") > 0
                    && delta(stats, statsBefore, "refused.acceptor") > 0, "each kind of refusal was met: " + stats);
            for (String kind : List.of("errors.oversized", "errors.malformed", "errors.unknownOp", "errors.role",
                    "errors.handshake")) {
                assertTrue(delta(stats, statsBefore, kind) > 0, kind + " was met: " + stats);
            }

            // nothing leaked: the scheduler's links are gone, its threads and heap are back where they were
            long linksBefore = statsBefore.get("links.open");
            awaitTrue(() -> server.transportStats().get("links.open") == linksBefore, 20_000,
                    () -> "only the real client's and workers' links are open: " + server.transportStats());
            Thread.setDefaultUncaughtExceptionHandler(handler);
            assertEquals(List.of(), uncaught, "no thread died of an exception");
            assertTrue(serving.size() >= 2 && serving.stream().allMatch(Thread::isAlive),
                    "the scheduler's loop and the event loops live on: " + serving.stream()
                            .map(t -> t.getName() + (t.isAlive() ? "" : " (dead)")).toList());
            awaitTrue(() -> liveThreads() <= threadsBefore + 5, 20_000,
                    () -> "threads before " + threadsBefore + ", now " + liveThreads() + ": " + threadNames());
            long heapAfter = usedHeapAfterGc();
            System.out.println("FuzzTest: threads " + threadsBefore + " -> " + liveThreads() + ", heap "
                    + heapBefore / (1024 * 1024) + " -> " + heapAfter / (1024 * 1024) + " MiB");
            assertTrue(heapAfter - heapBefore < 64L * 1024 * 1024,
                    "heap after a GC grew by " + (heapAfter - heapBefore) / (1024 * 1024) + " MiB");

            // and it still takes new clients and workers
            WorkerProcess w3 = worker("w3");
            awaitWorkers(Set.of(w1.address(), w2.address(), w3.address()));
            try (Client another = Client.connect(server.address(), options)) {
                assertEquals(42L, another.submit(TaskOptions.key("after-fuzz").withWorkers(w3.address()), "inc", 41)
                        .get(30, TimeUnit.SECONDS));
            }
            assertEquals(expectedTree(64), runTree(client, "after", 64));
        }
    }

    // ---------------------------------------------------------------- the real work

    private static long expectedTree(int leaves) {
        return (long) leaves * (leaves + 1) / 2; // sum of inc(i) for i < leaves
    }

    /** A binary tree: {@code leaves} inc tasks summed pairwise by add tasks; returns the root's value. */
    private static long runTree(Client client, String prefix, int leaves) throws Exception {
        Graph.Builder g = Graph.builder();
        List<String> level = new ArrayList<>();
        for (int i = 0; i < leaves; i++) {
            String key = prefix + "-leaf-" + i;
            g.task(key, "inc", i);
            level.add(key);
        }
        for (int depth = 0; level.size() > 1; depth++) {
            List<String> up = new ArrayList<>();
            for (int j = 0; j < level.size(); j += 2) {
                if (j + 1 == level.size()) {
                    up.add(level.get(j));
                } else {
                    String key = prefix + "-sum-" + depth + "-" + j / 2;
                    g.task(key, "add", new TaskRef(level.get(j)), new TaskRef(level.get(j + 1)));
                    up.add(key);
                }
            }
            level = up;
        }
        String root = level.get(0);
        Map<String, WeftFuture> futures = client.compute(g.keys(root).build());
        try {
            return ((Number) futures.get(root).get(90, TimeUnit.SECONDS)).longValue();
        } finally {
            client.release(futures.values());
        }
    }

    // ---------------------------------------------------------------- the fuzz

    private enum Close {
        /** Stop sending, read what the scheduler says until it closes. */
        GRACEFUL,
        /** Close at once. */
        ABRUPT,
        /** Close with a reset (SO_LINGER 0). */
        RESET
    }

    /** Sends input {@code i}: what it is depends only on the seed and {@code i}. */
    private void fuzz(int i) {
        SplittableRandom r = new SplittableRandom(SEED ^ (0x9E37_79B9_7F4A_7C15L * (i + 1)));
        int kind = r.nextInt(100);
        Close close = r.nextInt(10) < 7 ? Close.GRACEFUL : r.nextBoolean() ? Close.ABRUPT : Close.RESET;
        byte[] bytes;
        if (kind < 6) {
            bytes = new byte[0]; // opened and dropped without a byte
            close = r.nextBoolean() ? Close.ABRUPT : Close.RESET;
        } else if (kind < 16) {
            bytes = randomBytes(r, r.nextInt(10) == 0 ? r.nextInt(8192) : r.nextInt(64));
        } else if (kind < 26) {
            bytes = badLength(r);
        } else if (kind < 44) {
            bytes = frame(mutate(r, templates.pick(r, templates.hellos)));
        } else if (kind < 60) {
            bytes = helloThen(r, true);
        } else if (kind < 72) {
            bytes = helloThenForbidden(r);
        } else if (kind < 82) {
            bytes = frame(templates.pick(r, templates.badHellos));
        } else if (kind < 92) {
            byte[] whole = helloThen(r, false);
            bytes = Arrays.copyOf(whole, r.nextInt(whole.length)); // cut mid-frame
            close = r.nextBoolean() ? Close.GRACEFUL : Close.ABRUPT;
        } else if (kind < 98) {
            bytes = frame(randomSmile(r));
        } else {
            bytes = concat(frame(templates.clientHello), frame(randomBytes(r, 1 + r.nextInt(2 * 1024 * 1024))));
        }
        exchange(bytes, close);
    }

    /** One connection: send {@code bytes}, close as told, tally the scheduler's first answer. */
    private void exchange(byte[] bytes, Close close) {
        String answer;
        try (Socket s = new Socket()) {
            s.connect(port, 10_000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            if (bytes.length > 0) {
                out.write(bytes);
                out.flush();
            }
            switch (close) {
                case GRACEFUL -> {
                    s.shutdownOutput();
                    answer = firstAnswer(s.getInputStream());
                }
                case RESET -> {
                    s.setSoLinger(true, 0);
                    answer = "(reset by us)";
                }
                default -> answer = "(closed by us)";
            }
        } catch (SocketTimeoutException e) {
            hangs.incrementAndGet();
            answer = "(hang)";
        } catch (IOException e) {
            answer = "(cut: " + e.getClass().getSimpleName() + ")";
        }
        answers.computeIfAbsent(answer, a -> new LongAdder()).increment();
    }

    /** The op of the first frame the scheduler sent, after reading everything up to its close. */
    private String firstAnswer(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        String first = null;
        while (true) {
            int length;
            try {
                length = data.readInt();
            } catch (EOFException e) {
                return first == null ? "eof" : first;
            }
            if (length < 0 || length > 64 * 1024 * 1024) {
                return "(bad frame from the scheduler: " + length + ")";
            }
            byte[] frame = new byte[length];
            data.readFully(frame);
            try {
                List<Message> batch = CODEC.decode(frame);
                if (first == null) {
                    first = batch.isEmpty() ? "[]" : batch.get(0).getClass().getSimpleName();
                }
                fakeComputeTasks.add(batch.stream().filter(m -> m instanceof SchedulerMessage.ComputeTask).count());
            } catch (ProtocolException e) {
                first = first == null ? "(undecodable)" : first;
            }
        }
    }

    /** A valid hello of an accepted role, then frames of what that role sends, some mutated. */
    private byte[] helloThen(SplittableRandom r, boolean mutateSome) {
        boolean worker = r.nextBoolean();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(frame(worker ? templates.workerHello(r) : templates.clientHello));
        int frames = 1 + r.nextInt(5);
        List<List<Message>> pool = worker ? templates.workerBatches : templates.clientBatches;
        for (int f = 0; f < frames; f++) {
            byte[] body = CODEC.encode(pool.get(r.nextInt(pool.size())));
            out.writeBytes(frame(mutateSome && r.nextBoolean() ? mutate(r, body) : body));
        }
        return out.toByteArray();
    }

    /** A valid hello, maybe some allowed frames, then a message that role may not send. */
    private byte[] helloThenForbidden(SplittableRandom r) {
        int role = r.nextInt(2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(frame(role == 0 ? templates.workerHello(r) : templates.clientHello));
        List<List<Message>> allowed = role == 0 ? templates.workerBatches : templates.clientBatches;
        for (int f = r.nextInt(3); f > 0; f--) {
            out.writeBytes(frame(CODEC.encode(allowed.get(r.nextInt(allowed.size())))));
        }
        List<Message> forbidden = new ArrayList<>(templates.schedulerMessages);
        forbidden.addAll(role == 0 ? templates.clientOnly : templates.workerOnly);
        forbidden.add(new Handshake.Hello(Handshake.VERSION, Role.CLIENT, "again", TOKEN, Map.of()));
        forbidden.add(new DataMessage.GetData(1, List.of("fz-a")));
        List<Message> batch = new ArrayList<>();
        if (r.nextBoolean()) {
            batch.addAll(allowed.get(r.nextInt(allowed.size())));
        }
        batch.add(forbidden.get(r.nextInt(forbidden.size())));
        out.writeBytes(frame(CODEC.encode(batch)));
        return out.toByteArray();
    }

    private static byte[] badLength(SplittableRandom r) {
        int[] lengths = {-1, Integer.MIN_VALUE, -r.nextInt(1, Integer.MAX_VALUE), Integer.MAX_VALUE,
                TransportConfig.DEFAULT_MAX_FRAME_BYTES + 1, TransportConfig.DEFAULT_MAX_FRAME_BYTES + r.nextInt(1, 1 << 20),
                0, 1 + r.nextInt(1 << 20)};
        int length = lengths[r.nextInt(lengths.length)];
        byte[] body = randomBytes(r, r.nextInt(256));
        return concat(ByteBuffer.allocate(4).putInt(length).array(), body);
    }

    private static byte[] randomSmile(SplittableRandom r) {
        List<Object> batch = new ArrayList<>();
        for (int n = r.nextInt(4); n >= 0; n--) {
            Object v = randomValue(r, 3);
            if (r.nextBoolean()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("op", Templates.OPS[r.nextInt(Templates.OPS.length)]);
                for (int f = r.nextInt(5); f > 0; f--) {
                    m.put(Templates.FIELDS[r.nextInt(Templates.FIELDS.length)], randomValue(r, 2));
                }
                v = m;
            }
            batch.add(v);
        }
        try {
            return SMILE.writeValueAsBytes(r.nextInt(8) == 0 ? randomValue(r, 3) : batch);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object randomValue(SplittableRandom r, int depth) {
        int k = r.nextInt(depth <= 0 ? 7 : 9);
        return switch (k) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> r.nextLong();
            case 3 -> r.nextDouble() * 1e6;
            case 4 -> "s" + r.nextInt(1000);
            case 5 -> randomBytes(r, r.nextInt(16));
            case 6 -> Templates.OPS[r.nextInt(Templates.OPS.length)];
            case 7 -> {
                List<Object> l = new ArrayList<>();
                for (int n = r.nextInt(4); n > 0; n--) {
                    l.add(randomValue(r, depth - 1));
                }
                yield l;
            }
            default -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int n = r.nextInt(4); n > 0; n--) {
                    m.put(Templates.FIELDS[r.nextInt(Templates.FIELDS.length)], randomValue(r, depth - 1));
                }
                yield m;
            }
        };
    }

    /** 1 to 4 edits: flip a bit, set a byte (random or one Smile treats specially), insert, delete, duplicate. */
    static byte[] mutate(SplittableRandom r, byte[] original) {
        byte[] b = original.clone();
        byte[] special = {0, (byte) 0xFF, (byte) 0xFE, (byte) 0xF8, (byte) 0xF9, (byte) 0xFA, (byte) 0xFB, 0x3A, 0x7F,
                (byte) 0x80, (byte) 0xE0, (byte) 0xE8, 0x20, 0x21};
        for (int e = 1 + r.nextInt(4); e > 0; e--) {
            int at = b.length == 0 ? 0 : r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> {
                    if (b.length > 0) {
                        b[at] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> {
                    if (b.length > 0) {
                        b[at] = (byte) r.nextInt(256);
                    }
                }
                case 2 -> {
                    if (b.length > 0) {
                        b[at] = special[r.nextInt(special.length)];
                    }
                }
                case 3 -> b = concat(Arrays.copyOf(b, at), randomBytes(r, 1 + r.nextInt(8)),
                        Arrays.copyOfRange(b, at, b.length));
                case 4 -> {
                    int n = Math.min(b.length - at, 1 + r.nextInt(8));
                    b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + n, b.length));
                }
                default -> {
                    int n = Math.min(b.length - at, 1 + r.nextInt(32));
                    b = concat(Arrays.copyOf(b, at + n), Arrays.copyOfRange(b, at, b.length));
                }
            }
        }
        return b;
    }

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] frame(byte[] body) {
        return concat(ByteBuffer.allocate(4).putInt(body.length).array(), body);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Real frames from the codec: hellos of every role, what clients and workers send, what only the scheduler sends. */
    private static final class Templates {

        static final String[] OPS = {"hello", "welcome", "refused", "error", "compute-task", "free-keys", "update-graph",
            "release-keys", "call", "task-finished", "task-erred", "heartbeat", "retire", "answer", "data", "get-data",
            "missing-data", "steal-response", "long-running", "no-such-op"};
        static final String[] FIELDS = {"op", "version", "role", "name", "token", "info", "address", "nthreads", "id",
            "tasks", "wanted", "keys", "key", "method", "params", "function", "args", "metrics", "data", "missing",
            "reason", "$ref", "workers", "resources"};

        final byte[] clientHello = hello(Role.CLIENT, "fz-client", TOKEN, Map.of());
        final List<byte[]> hellos = new ArrayList<>();
        final List<byte[]> badHellos = new ArrayList<>();
        final List<List<Message>> clientBatches = new ArrayList<>();
        final List<List<Message>> workerBatches = new ArrayList<>();
        final List<Message> clientOnly = new ArrayList<>();
        final List<Message> workerOnly = new ArrayList<>();
        final List<Message> schedulerMessages = new ArrayList<>();

        Templates(String realWorker) {
            hellos.add(clientHello);
            hellos.add(workerHelloBytes(1));
            hellos.add(hello(Role.PEER, "fz-peer", TOKEN, Map.of()));
            hellos.add(hello(Role.SCHEDULER, "fz-scheduler", TOKEN, Map.of()));
            hellos.add(hello(Role.CLIENT, "fz-client", null, Map.of()));

            badHellos.add(encode(new Handshake.Hello(2, Role.CLIENT, "fz", TOKEN, Map.of())));
            badHellos.add(encode(new Handshake.Hello(0, Role.WORKER, "fz", TOKEN, workerInfo("tcp://127.0.0.1:3", 1))));
            badHellos.add(encode(new Handshake.Hello(-7, null, null, null, null)));
            badHellos.add(hello(Role.CLIENT, "fz", "wrong", Map.of()));
            badHellos.add(hello(Role.WORKER, "fz", null, workerInfo("tcp://127.0.0.1:4", 1)));
            badHellos.add(hello(Role.WORKER, "fz", "", workerInfo("tcp://127.0.0.1:4", 1)));
            badHellos.add(hello(Role.PEER, "fz-peer", TOKEN, Map.of()));
            badHellos.add(hello(Role.SCHEDULER, "fz-scheduler", TOKEN, Map.of()));
            badHellos.add(hello(Role.CLIENT, "", TOKEN, Map.of()));
            badHellos.add(hello(Role.CLIENT, null, TOKEN, Map.of()));
            badHellos.add(hello(Role.WORKER, "fz", TOKEN, workerInfo(realWorker, 1))); // an address already taken
            badHellos.add(hello(Role.WORKER, "fz", TOKEN, workerInfo("udp://127.0.0.1:5", 1)));
            badHellos.add(hello(Role.WORKER, "fz", TOKEN, workerInfo("tcp://127.0.0.1:5", 0)));
            badHellos.add(hello(Role.WORKER, "fz", TOKEN, workerInfo("tcp://127.0.0.1:5", -3)));
            badHellos.add(hello(Role.WORKER, "fz", TOKEN, Map.of("address", 5, "nthreads", "many")));
            badHellos.add(hello(Role.WORKER, "fz", TOKEN, Map.of("address", "tcp://127.0.0.1:5", "nthreads", 1,
                    "resources", Map.of("GPU", -1))));
            badHellos.add(hello(Role.WORKER, "fz", TOKEN, Map.of("address", "tcp://127.0.0.1:5", "nthreads", 1,
                    "resources", "lots")));
            badHellos.add(encode(new Handshake.Hello(1, Role.CLIENT, "fz", TOKEN, Map.of()),
                    new Handshake.Hello(1, Role.CLIENT, "fz", TOKEN, Map.of())));
            badHellos.add(encode(new ClientMessage.Call(1, "identity", Map.of())));
            badHellos.add(encode(new Handshake.Welcome("fz", "tcp://127.0.0.1:6")));
            badHellos.add(encode(new WorkerMessage.Heartbeat(Map.of())));
            badHellos.add(CODEC.encode(List.of()));

            Map<String, Object> ref = Map.of("$ref", "fz-a");
            clientBatches.add(List.of(new ClientMessage.UpdateGraph(1, List.of(
                    new ClientMessage.Task("fz-a", "inc", List.of(1), 0, 0, List.of(), false, Map.of()),
                    new ClientMessage.Task("fz-b", "add", List.of(ref, 2), 0, 0, List.of(), false, Map.of())),
                    List.of("fz-b"))));
            clientBatches.add(List.of(new ClientMessage.UpdateGraph(2, List.of(
                    new ClientMessage.Task("fz-c", "no-such-function", List.of(), 1, 5, List.of("tcp://127.0.0.1:7"), true,
                            Map.of("GPU", 1.0)),
                    new ClientMessage.Task("fz-d", "add", List.of(Map.of("$ref", "fz-nowhere"), 1), 0, 0, List.of(), false,
                            Map.of())),
                    List.of("fz-c", "fz-d", "fz-unknown"))));
            clientBatches.add(List.of(new ClientMessage.UpdateGraph(3, List.of(
                    new ClientMessage.Task("fz-x", "inc", List.of(Map.of("$ref", "fz-y")), 0, 0, List.of(), false, Map.of()),
                    new ClientMessage.Task("fz-y", "inc", List.of(Map.of("$ref", "fz-x")), 0, 0, List.of(), false, Map.of())),
                    List.of("fz-x"))));
            clientBatches.add(List.of(new ClientMessage.ReleaseKeys(List.of("fz-a", "fz-b"))));
            clientBatches.add(List.of(new ClientMessage.Call(4, "identity", Map.of()),
                    new ClientMessage.Call(5, "gather", Map.of("keys", List.of("fz-b", "fz-unknown")))));
            clientBatches.add(List.of(new ClientMessage.Call(6, "story", Map.of("keys", List.of("fz-a"))),
                    new ClientMessage.Call(7, "events", Map.of("topic", "fz")),
                    new ClientMessage.Call(8, "log-event", Map.of("topics", List.of("fz"), "message", "hi"))));
            clientBatches.add(List.of(new ClientMessage.Call(9, "subscribe", Map.of("topic", "fz")),
                    new ClientMessage.Call(10, "cancel", Map.of("keys", List.of("fz-b"), "force", false)),
                    new ClientMessage.Call(11, "unsubscribe", Map.of("topic", "fz"))));
            clientBatches.add(List.of(new ClientMessage.Call(12, "adaptive-target", Map.of("targetDurationMillis", 5)),
                    new ClientMessage.Call(13, "no-such-method", Map.of()),
                    new ClientMessage.Call(14, "gather", Map.of("keys", "not a list")),
                    new ClientMessage.Call(15, "adaptive-target", Map.of())));

            workerBatches.add(List.of(new WorkerMessage.Heartbeat(Map.of("cpu", 1.5, "memory", 1L << 30))));
            workerBatches.add(List.of(new WorkerMessage.TaskFinished("fz-a", 8, "java.lang.Long",
                    List.of(new WorkerMessage.Span("compute", 1, 2, null)), "fz-s1")));
            workerBatches.add(List.of(new WorkerMessage.TaskErred("fz-a", "boom", "at fuzz", List.of(), "fz-s2"),
                    new WorkerMessage.MissingData("fz-a", "tcp://127.0.0.1:8", "fz-s3")));
            workerBatches.add(List.of(new WorkerMessage.StealResponse("fz-a", "EXECUTING", "fz-s4"),
                    new WorkerMessage.LongRunning("fz-a", "fz-s5")));
            workerBatches.add(List.of(new WorkerMessage.StealResponse("fz-a", "no-such-state", "fz-s6")));
            workerBatches.add(List.of(new WorkerMessage.Answer(1, List.of("x"), null),
                    new WorkerMessage.Answer(2, null, "no"),
                    new DataMessage.Data(3, Map.of("fz-a", new byte[] {1, 2, 3}), List.of("fz-b"))));
            workerBatches.add(List.of(new WorkerMessage.Retire("fuzz")));

            clientOnly.addAll(List.of(new ClientMessage.ReleaseKeys(List.of("fz-a")),
                    new ClientMessage.Call(1, "identity", Map.of())));
            workerOnly.addAll(List.of(new WorkerMessage.Heartbeat(Map.of()),
                    new WorkerMessage.TaskFinished("fz-a", 1, null, null, "fz"),
                    new DataMessage.Data(1, Map.of(), List.of())));
            schedulerMessages.addAll(List.of(
                    new SchedulerMessage.ComputeTask("fz-a", "inc", List.of(1), Map.of(), 0, 0, 0, Map.of(), "fz"),
                    new SchedulerMessage.FreeKeys(List.of("fz-a"), "fz"),
                    new SchedulerMessage.CloseWorker("fuzz", "fz"),
                    new SchedulerMessage.KeyInMemory("fz-a"),
                    SchedulerMessage.Reply.ok(1, "x"),
                    new Handshake.Welcome("fz", "tcp://127.0.0.1:6"),
                    new Handshake.Refused("fuzz"),
                    new Handshake.Error("fuzz")));
        }

        /** A well-formed worker hello with a bogus data address: no worker listens there. */
        byte[] workerHello(SplittableRandom r) {
            return workerHelloBytes(1 + r.nextInt(4));
        }

        private byte[] workerHelloBytes(int nthreads) {
            return hello(Role.WORKER, "fz-worker", TOKEN, workerInfo("tcp://127.0.0.1:" + (10 + nthreads), nthreads));
        }

        byte[] pick(SplittableRandom r, List<byte[]> from) {
            return from.get(r.nextInt(from.size()));
        }

        static Map<String, Object> workerInfo(String address, int nthreads) {
            return Map.of("address", address, "nthreads", nthreads, "resources", Map.of());
        }

        static byte[] hello(Role role, String name, String token, Map<String, Object> info) {
            return encode(new Handshake.Hello(Handshake.VERSION, role, name, token, info));
        }

        static byte[] encode(Message... batch) {
            return CODEC.encode(Arrays.asList(batch));
        }
    }

    /** A well-formed worker that takes tasks and never answers, heartbeats or leaves on its own. */
    private final class Squatter extends Thread {
        final AtomicBoolean welcomed = new AtomicBoolean();
        final AtomicLong computeTasks = new AtomicLong();
        final AtomicLong closedByScheduler = new AtomicLong(-1);
        private final Socket socket = new Socket();
        private final long started = System.currentTimeMillis();
        private volatile String outcome = "not started";

        Squatter() {
            super("fuzz-squatter");
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                socket.connect(port, 10_000);
                socket.getOutputStream().write(frame(Templates.hello(Role.WORKER, "squatter", TOKEN,
                        Templates.workerInfo(SQUATTER, 4))));
                DataInputStream in = new DataInputStream(socket.getInputStream());
                outcome = "connected";
                while (true) {
                    byte[] body = new byte[in.readInt()];
                    in.readFully(body);
                    for (Message m : CODEC.decode(body)) {
                        if (m instanceof Handshake.Welcome) {
                            welcomed.set(true);
                        } else if (m instanceof SchedulerMessage.ComputeTask) {
                            computeTasks.incrementAndGet();
                        }
                    }
                    outcome = "welcomed, " + computeTasks.get() + " compute-task";
                }
            } catch (EOFException e) {
                closedByScheduler.set(System.currentTimeMillis() - started);
                outcome += ", closed by the scheduler after " + closedByScheduler.get() + " ms";
            } catch (IOException | ProtocolException | RuntimeException e) {
                outcome += ", " + e;
            }
        }

        String outcome() {
            return outcome;
        }

        void close() throws Exception {
            socket.close();
            join(10_000);
        }
    }

    // ---------------------------------------------------------------- measuring

    private static long delta(Map<String, Long> after, Map<String, Long> before, String prefix) {
        long sum = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
        }
        return sum;
    }

    /** Live threads, not counting the JDK's common pool (it grows and shrinks by itself). */
    private static int liveThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.getName().startsWith("ForkJoinPool.commonPool")).count();
    }

    private static void dumpThreads() {
        Thread.getAllStackTraces().forEach((t, stack) -> {
            StringBuilder b = new StringBuilder("FuzzTest thread ").append(t.getName()).append(' ').append(t.getState());
            for (StackTraceElement e : stack) {
                b.append("\n    at ").append(e);
            }
            System.out.println(b);
        });
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, long millis, java.util.function.Supplier<String> message) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (!check.holds()) {
            assertTrue(System.currentTimeMillis() < deadline, message);
            Thread.sleep(50);
        }
    }
}
