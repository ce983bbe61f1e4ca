package org.weft.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.weft.client.Client;
import org.weft.client.Graph;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What an open dashboard costs the scheduler: a scheduler and workers as bin/weft processes (as
 * {@code remote}), the no-op workload timed in alternating runs with the Status page open in
 * headless Chromium and with the same browser on {@code about:blank}, in one cluster. One browser
 * serves every round, started and settled before the first, so the two runs of a round differ by
 * the page only. The page's live feed makes the scheduler answer a snapshot twice a second (as often
 * as the page asks: {@code --page /status?every=250} for four) and send task bars, which the page draws. The scheduler process's CPU per task and Chromium's cores
 * (by process) during each run are reported beside the throughput, to tell the two costs apart.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Scheduler throughput with the dashboard's Status page open in headless Chromium against the same "
                + "browser on about:blank, alternated in one process cluster of the built distribution: tasks_per_s_without_page, "
                + "tasks_per_s_with_page, dashboard_throughput_ratio (median of the rounds' ratios), the scheduler process's "
                + "CPU per task with and without the page and their ratio, the cores Chromium used with the page and on about:blank, "
                + "dashboard_plugin_us_per_task (the dashboard plugin's time in its hooks, from /metrics), dashboard_cores (Chromium's "
                + "cores over about:blank's plus the scheduler's dashboard threads' and its plugin's time, median of the rounds) "
                + "and dashboard_machine_share (that over the machine's cores), load_average_1m; "
                + "# lines: Chromium's cores with the page open on an idle cluster, each round, Chromium's cores by process, the scheduler's CPU per task by thread.")
final class DashboardBenchmark implements Callable<Integer> {

    private static final Pattern PAGES_OPEN = Pattern.compile("^weft_dashboard_pages_open (\\S+)$", Pattern.MULTILINE);

    @Spec
    CommandSpec spec;

    @Option(names = "--workers", defaultValue = "2", description = "worker processes (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--threads", defaultValue = "1", description = "executor threads per worker (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--tasks", defaultValue = "200000", description = "no-op tasks per timed run (default ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--repeats", defaultValue = "10",
            description = "rounds, each one run with the page open and one on about:blank, order alternated (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--warmup", defaultValue = "200000", description = "no-op tasks run untimed first, then one run as the "
            + "rounds run them, not counted either (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--weft-home", description = "the distribution to run (default: distribution/target/weft beside benchmarks/)")
    Path weftHome;

    @Option(names = "--chromium", defaultValue = "/usr/bin/chromium", description = "the browser (default ${DEFAULT-VALUE})")
    Path chromium;

    @Option(names = "--process-java-opts", description = "JAVA_OPTS for the scheduler and worker processes (default: none, bin/weft's own flags)")
    String processJavaOpts;

    @Option(names = "--graphs", defaultValue = "10", description = "graphs each timed run's tasks are split into, submitted "
            + "two at a time: the next one while the last runs, as a client streaming work would (default ${DEFAULT-VALUE}; "
            + "1: one graph, which the scheduler takes in while its workers wait, in a share of the run that changes from run to "
            + "run)")
    int graphs;

    @Option(names = "--page", defaultValue = "/status", description = "the dashboard page the runs 'with the page' show "
            + "(default ${DEFAULT-VALUE}, updated twice a second; /status?every=250 four times); about:blank makes both runs "
            + "of a round alike, to see the spread of the ratio itself")
    String page;

    @Option(names = "--page-script", description = "JavaScript run in the Status page once it is open, to see what a "
            + "part of the page costs (e.g. window.renderStream = () => {} draws no task stream; default: none)")
    String pageScript;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds a single timed run may take (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isExecutable(chromium)) {
            throw new Bench.RunFailed("no browser at " + chromium + " (apt-get install chromium, or --chromium)");
        }
        if (graphs < 1 || tasks % graphs != 0) {
            throw new Bench.RunFailed("--graphs must divide --tasks (" + tasks + "), was " + graphs);
        }
        Path home = weftHome != null ? weftHome : ProcessCluster.defaultHome();
        ProcessCluster.launcher(home);
        Bench.header(out, "dashboard", workers, threads, "scheduler and " + workers + " worker processes of " + home
                + ", " + tasks + " no-op tasks per run" + (graphs > 1 ? " in " + graphs + " graphs, two in flight" : "") + ", " + repeats + " rounds of one run with the Status page open in "
                + chromium + " and one on about:blank (order alternated, one browser for all), warm-up " + warmup);
        Path logs = Files.createTempDirectory("weft-bench-dashboard-");
        Bench.comment(out, "process output in " + logs + "; load average " + loadAverage() + " at the start");
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> schedulerWithout = new ArrayList<>();
        List<Double> schedulerWith = new ArrayList<>();
        List<Double> schedulerRatios = new ArrayList<>();
        List<Double> browserCores = new ArrayList<>();
        List<Double> browserCoresBlank = new ArrayList<>();
        List<Double> dashboardCores = new ArrayList<>();
        List<Double> pluginMicros = new ArrayList<>();
        Map<String, Long> browserNanosByKind = new TreeMap<>();
        Map<String, Long> schedulerThreadsWith = new TreeMap<>();
        Map<String, Long> schedulerThreadsWithout = new TreeMap<>();
        double[] pageSeconds = {0};
        // the dashboard on any free port: 8787 may be another scheduler's on the same machine
        ProcessCluster cluster = ProcessCluster.start(new ProcessCluster.Settings(home, workers, threads, processJavaOpts,
                Duration.ofSeconds(120), 0).withSchedulerArgs("--dashboard-address", "127.0.0.1:0"), logs);
        try (Client client = Client.connect(cluster.schedulerAddress());
                HeadlessChromium browser = new HeadlessChromium(chromium, logs.resolve("chromium"))) {
            String dashboard = cluster.dashboardAddress();
            Bench.comment(out, "dashboard at " + dashboard);
            awaitSettled(browser, out);
            Runnable awaitEmpty = () -> ProcessCluster.awaitEmpty(client, 120);
            Bench.warmUp(awaitEmpty, client, warmup);
            idleCost(browser, dashboard, out);
            Graph graph = Bench.noopGraph(tasks);
            // the first timed run after the warm-up is slower than all later ones (new code paths, heap growth): one
            // run as the rounds run them, on about:blank, not counted
            browser.navigate("about:blank");
            awaitPagesOpen(dashboard, 0);
            timedRun(cluster, client, graph, awaitEmpty, browser, dashboard);
            for (int round = 0; round < repeats; round++) {
                Run closed = null;
                Run open = null;
                for (int k = 0; k < 2; k++) {
                    boolean withPage = (round + k) % 2 == 1;
                    boolean pageOpens = withPage && !page.startsWith("about:");
                    browser.navigate(!withPage ? "about:blank" : pageOpens ? dashboard + page : page);
                    awaitPagesOpen(dashboard, pageOpens ? 1 : 0);
                    if (withPage && pageScript != null) {
                        browser.evaluate(pageScript);
                    }
                    Bench.sleep(SETTLE_MILLIS); // the page's first draw, or the last page's end
                    Run run = timedRun(cluster, client, graph, awaitEmpty, browser, dashboard);
                    if (withPage) {
                        open = run;
                        run.browserNanosByKind().forEach((kind, n) -> browserNanosByKind.merge(kind, n, Long::sum));
                        pageSeconds[0] += run.seconds();
                        run.schedulerNanosByThread().forEach((g, n) -> schedulerThreadsWith.merge(g, n, Long::sum));
                    } else {
                        closed = run;
                        run.schedulerNanosByThread().forEach((g, n) -> schedulerThreadsWithout.merge(g, n, Long::sum));
                    }
                }
                without.add(closed.tasksPerSecond());
                with.add(open.tasksPerSecond());
                ratios.add(open.tasksPerSecond() / closed.tasksPerSecond());
                schedulerWithout.add(closed.schedulerMicrosPerTask());
                schedulerWith.add(open.schedulerMicrosPerTask());
                schedulerRatios.add(open.schedulerMicrosPerTask() / closed.schedulerMicrosPerTask());
                browserCores.add(open.browserCores());
                browserCoresBlank.add(closed.browserCores());
                // the dashboard's own threads, and its plugin's time in its hooks, which run wherever the loop's work does
                double serving = (dashboardThreadNanos(open.schedulerNanosByThread()) / 1e9 + open.pluginSeconds())
                        / open.seconds();
                pluginMicros.add(open.pluginSeconds() * 1e6 / tasks);
                dashboardCores.add(open.browserCores() - closed.browserCores() + serving);
                Bench.comment(out, String.format(Locale.ROOT, "round %d: %.0f tasks/s without a page, %.0f with the Status page "
                        + "open (%.3f); scheduler CPU %.1f / %.1f us per task (%.3f); Chromium %.3f / %.3f cores; "
                        + "the cluster's minor page faults %.1f / %.1f per 1 000 tasks; load average %s",
                        round + 1, closed.tasksPerSecond(), open.tasksPerSecond(), open.tasksPerSecond() / closed.tasksPerSecond(),
                        closed.schedulerMicrosPerTask(), open.schedulerMicrosPerTask(),
                        open.schedulerMicrosPerTask() / closed.schedulerMicrosPerTask(), closed.browserCores(),
                        open.browserCores(), closed.faultsPerThousandTasks(), open.faultsPerThousandTasks(), loadAverage()));
            }
        } finally {
            cluster.close();
        }
        StringBuilder kinds = new StringBuilder("Chromium's cores with the page open, by process:");
        browserNanosByKind.forEach((kind, n) -> kinds.append(String.format(Locale.ROOT, " %s %.3f;", kind,
                n / 1e9 / pageSeconds[0])));
        Bench.comment(out, kinds.toString());
        Bench.comment(out, threadsLine(schedulerThreadsWith, schedulerThreadsWithout, (long) tasks * repeats));
        Bench.figure(out, "tasks_per_s_without_page", Bench.median(without));
        Bench.figure(out, "tasks_per_s_with_page", Bench.median(with));
        Bench.fraction(out, "dashboard_throughput_ratio", Bench.median(ratios));
        Bench.comment(out, String.format(Locale.ROOT, "throughput ratios from %.3f to %.3f over %d rounds",
                ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), ratios.size()));
        Bench.fraction(out, "scheduler_cpu_us_per_task_without_page", Bench.median(schedulerWithout));
        Bench.fraction(out, "scheduler_cpu_us_per_task_with_page", Bench.median(schedulerWith));
        Bench.fraction(out, "scheduler_cpu_ratio", Bench.median(schedulerRatios));
        Bench.fraction(out, "chromium_cpu_cores", Bench.median(browserCores));
        Bench.fraction(out, "chromium_cpu_cores_blank", Bench.median(browserCoresBlank));
        Bench.fraction(out, "dashboard_plugin_us_per_task", Bench.median(pluginMicros));
        Bench.fraction(out, "dashboard_cores", Bench.median(dashboardCores));
        Bench.fraction(out, "dashboard_machine_share", Bench.median(dashboardCores) / Runtime.getRuntime().availableProcessors());
        Bench.fraction(out, "load_average_1m", Double.parseDouble(loadAverage().split(" ")[0]));
        return 0;
    }

    /**
     * One timed run: its throughput and length, the CPU the scheduler's process used per task
     * meanwhile, and the cores the browser used meanwhile, in all and by kind of process.
     */
    record Run(double tasksPerSecond, double seconds, double schedulerMicrosPerTask, double browserCores,
            Map<String, Long> browserNanosByKind, Map<String, Long> schedulerNanosByThread, double pluginSeconds,
            double faultsPerThousandTasks) {
    }

    /**
     * CPU of the scheduler's threads that serve the dashboard: the live feed's and Jetty's (the
     * {@code dashboard} plugin's cost is its hooks' time, wherever they run).
     */
    private static long dashboardThreadNanos(Map<String, Long> byThread) {
        long n = 0;
        for (Map.Entry<String, Long> e : byThread.entrySet()) {
            String g = e.getKey();
            if (g.startsWith("weft-dashboard") || g.startsWith("qtp")) {
                n += e.getValue();
            }
        }
        return n;
    }

    /**
     * The scheduler process's CPU per task by thread group, with the page and on about:blank, over
     * all rounds: the groups that differ most first.
     */
    private static String threadsLine(Map<String, Long> with, Map<String, Long> without, long tasks) {
        Map<String, Long> all = new TreeMap<>(with);
        without.keySet().forEach(g -> all.putIfAbsent(g, 0L));
        StringBuilder line = new StringBuilder("the scheduler's CPU per task by thread, us with the page / on about:blank:");
        all.keySet().stream()
                .sorted((a, b) -> Long.compare(Math.abs(with.getOrDefault(b, 0L) - without.getOrDefault(b, 0L)),
                        Math.abs(with.getOrDefault(a, 0L) - without.getOrDefault(a, 0L))))
                .filter(g -> with.getOrDefault(g, 0L) + without.getOrDefault(g, 0L) > tasks / 100) // over 0.005 us
                .forEach(g -> line.append(String.format(Locale.ROOT, " %s %.3f / %.3f;", g,
                        with.getOrDefault(g, 0L) / 1e3 / tasks, without.getOrDefault(g, 0L) / 1e3 / tasks)));
        return line.toString();
    }

    private Run timedRun(ProcessCluster cluster, Client client, Graph graph, Runnable awaitEmpty, HeadlessChromium browser,
            String dashboard) throws Exception {
        Map<Long, Long> browser0 = browser.cpuNanos();
        long scheduler0 = cluster.schedulerCpuNanos();
        long faults0 = cluster.minorFaults();
        long schedulerPid = cluster.pids().get(0);
        Map<Long, ProcessThreadCpu.Thread> threads0 = ProcessThreadCpu.sample(schedulerPid);
        double plugin0 = pluginSeconds(dashboard);
        double seconds = graphs <= 1 ? Bench.timeRunWithCpu(awaitEmpty, client, graph, timeoutSeconds).seconds()
                : Bench.timePipelined(awaitEmpty, client, pipeline(), timeoutSeconds);
        long scheduler1 = cluster.schedulerCpuNanos();
        long faults1 = cluster.minorFaults();
        Map<String, Long> byThread = ProcessThreadCpu.between(threads0, ProcessThreadCpu.sample(schedulerPid));
        double plugin1 = pluginSeconds(dashboard);
        Map<Long, Long> browser1 = browser.cpuNanos();
        Map<Long, String> kinds = browser.kinds();
        Map<String, Long> byKind = new TreeMap<>();
        long browserNanos = 0;
        for (Map.Entry<Long, Long> e : browser1.entrySet()) {
            long n = e.getValue() - browser0.getOrDefault(e.getKey(), 0L);
            browserNanos += n;
            byKind.merge(kinds.getOrDefault(e.getKey(), "gone"), n, Long::sum);
        }
        double schedulerMicros = scheduler0 < 0 || scheduler1 < 0 ? Double.NaN : (scheduler1 - scheduler0) / 1e3 / tasks;
        double faults = faults0 < 0 || faults1 < 0 ? Double.NaN : (faults1 - faults0) * 1000.0 / tasks;
        return new Run(tasks / seconds, seconds, schedulerMicros, browserNanos / 1e9 / seconds, byKind, byThread,
                plugin1 - plugin0, faults);
    }

    private int pipelined;

    /** {@code --graphs} graphs of this run's tasks, their keys new to the scheduler ({@code noop-pN-...}). */
    private List<Graph> pipeline() {
        List<Graph> out = new ArrayList<>();
        int run = pipelined++;
        for (int g = 0; g < graphs; g++) {
            out.add(Bench.noopGraph(tasks / graphs, "noop-p" + run + "g" + g + "-"));
        }
        return out;
    }

    /**
     * The page's cost to the browser with nothing running: Chromium's cores over {@value #IDLE_SECONDS}
     * s with the Status page open and with {@code about:blank}.
     */
    private void idleCost(HeadlessChromium browser, String dashboard, PrintWriter out) throws Exception {
        StringBuilder line = new StringBuilder("idle cluster, Chromium's cores over " + IDLE_SECONDS + " s:");
        for (String url : List.of("about:blank", dashboard + "/status")) {
            browser.navigate(url);
            awaitPagesOpen(dashboard, url.startsWith("about:") ? 0 : 1);
            Bench.sleep(SETTLE_MILLIS);
            long before = total(browser.cpuNanos());
            long t0 = System.nanoTime();
            Bench.sleep(IDLE_SECONDS * 1000L);
            double cores = (total(browser.cpuNanos()) - before) / (double) (System.nanoTime() - t0);
            line.append(String.format(Locale.ROOT, " %s %.3f;", url.startsWith("about:") ? "about:blank" : "Status page", cores));
        }
        Bench.comment(out, line.toString());
    }

    private static final int IDLE_SECONDS = 5;
    /** After a page opens or closes, before timing: its first draw (or its end) is over by then. */
    private static final long SETTLE_MILLIS = 1500;

    /**
     * Waits until the browser has finished starting: until its processes used under
     * {@value #SETTLED_CORES} of a core over the last second (at least 3 s, at most 30 s). Headless
     * Chromium spends more than half a core for its first seconds whatever the page (about:blank
     * too), which a short timed run would otherwise count as the dashboard's cost.
     */
    private static void awaitSettled(HeadlessChromium browser, PrintWriter out) {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(30);
        long earliest = start + TimeUnit.SECONDS.toNanos(3);
        double cores = Double.NaN;
        while (System.nanoTime() < deadline) {
            long before = total(browser.cpuNanos());
            long t0 = System.nanoTime();
            Bench.sleep(1000);
            cores = (total(browser.cpuNanos()) - before) / (double) (System.nanoTime() - t0);
            if (cores < SETTLED_CORES && System.nanoTime() >= earliest) {
                return;
            }
        }
        Bench.comment(out, String.format(Locale.ROOT, "Chromium still used %.2f cores after 30 s; timing anyway", cores));
    }

    private static final double SETTLED_CORES = 0.1;

    private static long total(Map<Long, Long> cpu) {
        return cpu.values().stream().mapToLong(Long::longValue).sum();
    }

    private static final Pattern PLUGIN_TIME = Pattern.compile(
            "^weft_plugin_time_seconds_total\\{[^}]*plugin=\"dashboard\"[^}]*\\} (\\S+)$", Pattern.MULTILINE);

    /**
     * The {@code dashboard} plugin's time in its hooks so far, from {@code /metrics} (its calls times
     * their sampled mean time), in seconds; 0 before its first call.
     */
    private double pluginSeconds(String dashboard) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(dashboard + "/metrics")).build();
        Matcher m = PLUGIN_TIME.matcher(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Waits until the scheduler's /metrics counts {@code n} dashboard pages open. */
    private void awaitPagesOpen(String dashboard, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpRequest request = HttpRequest.newBuilder(URI.create(dashboard + "/metrics")).build();
        while (true) {
            Matcher m = PAGES_OPEN.matcher(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
            if (m.find() && (int) Double.parseDouble(m.group(1)) == n) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new Bench.RunFailed("the dashboard never counted " + n + " page(s) open");
            }
            Bench.sleep(100);
        }
    }

    /** {@code /proc/loadavg}'s first three fields, or {@code ?}. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
