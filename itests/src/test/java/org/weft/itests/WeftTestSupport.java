package org.weft.itests;

import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.weft.client.Client;
import org.weft.client.spi.SchedulerEndpoint;

/**
 * What every integration test shares: the framework it runs in (the real Weft bundles and their
 * runtime, provisioned from {@code target/bundles} by {@code file:} URL), the services it talks to,
 * shell and polling helpers, and clean-up of whatever a test installed or registered.
 */
public abstract class WeftTestSupport {

    static final String COUNTER_V1 = "weft-example-counter-plugin.jar";
    static final String COUNTER_V2 = "weft-example-counter-plugin-v2.jar";
    static final String ERROR_LOGGER = "weft-example-error-logger.jar";
    static final String COUNTER_BSN = "org.weft.examples.counter";

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    protected BundleContext context;

    @Inject
    protected SchedulerEndpoint endpoint;

    @Inject
    protected CommandProcessor commands;

    private final List<Bundle> installed = new ArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();

    // ------------------------------------------------------------------ framework

    @Configuration
    public Option[] config() throws IOException {
        Path deploy = fileInstallDir(getClass());
        Files.createDirectories(deploy);
        return options(
                frameworkProperty("felix.bootdelegation.implicit").value("false"),
                frameworkProperty("weft.workers").value("2"),
                frameworkProperty("weft.threads").value("2"),
                frameworkProperty("felix.fileinstall.dir").value(deploy.toString()),
                frameworkProperty("felix.fileinstall.poll").value("200"),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                frameworkProperty("felix.fileinstall.log.level").value("2"),
                cleanCaches(true),
                frameworkStartLevel(10),
                // the service loader mediator first, so slf4j finds its provider. slf4j starts at level 1
                // too (after SPI Fly): Pax Exam's own bundles start at level 2 and log through slf4j,
                // and the first logger made before slf4j-simple is started fixes the NOP logger for good
                runtime(1, "org.apache.aries.spifly.dynamic.bundle.jar", "asm.jar", "asm-commons.jar", "asm-tree.jar",
                        "asm-util.jar", "asm-analysis.jar", "slf4j-api.jar", "slf4j-simple.jar", "org.apache.felix.log.jar"),
                runtime(3, "org.osgi.service.component.jar", "org.osgi.util.promise.jar", "org.osgi.util.function.jar",
                        "org.apache.felix.scr.jar", "org.apache.felix.configadmin.jar", "jackson-core.jar",
                        "jackson-annotations.jar", "jackson-databind.jar", "jackson-dataformat-smile.jar",
                        "netty-common.jar", "netty-buffer.jar", "netty-resolver.jar", "netty-transport.jar",
                        "netty-transport-native-unix-common.jar", "netty-codec-base.jar", "netty-handler.jar",
                        "org.apache.felix.gogo.runtime.jar", "org.apache.felix.gogo.command.jar"),
                runtime(4, "weft-plugin-api.jar", "weft-protocol.jar", "weft-comm-netty.jar", "weft-preload.jar",
                        "weft-client.jar", "weft-depot.jar", "weft-plugin-host.jar", "weft-node.jar", "weft-worker.jar", "weft-scheduler-core.jar",
                        "weft-local.jar"),
                runtime(5, "org.apache.felix.fileinstall.jar"),
                junitBundles());
    }

    private static Option runtime(int startLevel, String... jars) {
        Option[] all = Arrays.stream(jars)
                .map(jar -> bundle(bundleUrl(jar)).startLevel(startLevel).start())
                .toArray(Option[]::new);
        return org.ops4j.pax.exam.CoreOptions.composite(all);
    }

    static File bundlesDir() {
        String dir = System.getProperty("weft.itest.bundles");
        if (dir == null) {
            throw new IllegalStateException("system property weft.itest.bundles is not set (run through failsafe)");
        }
        return new File(dir);
    }

    static File bundleFile(String jar) {
        File f = new File(bundlesDir(), jar);
        if (!f.isFile()) {
            throw new IllegalStateException("missing " + f + " (copied in pre-integration-test)");
        }
        return f;
    }

    static String bundleUrl(String jar) {
        return bundleFile(jar).toURI().toString();
    }

    static Path workDir() {
        return Path.of(System.getProperty("weft.itest.work", "target/itest-work"));
    }

    static Path fileInstallDir(Class<?> testClass) {
        return workDir().resolve(testClass.getSimpleName() + "-deploy").toAbsolutePath();
    }

    // ------------------------------------------------------------------ clean-up

    @After
    public void cleanUp() {
        for (Client c : clients) {
            c.close();
        }
        clients.clear();
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the test unregistered it itself
            }
        }
        registrations.clear();
        for (Bundle b : installed) {
            if (b.getState() != Bundle.UNINSTALLED) {
                try {
                    b.uninstall();
                } catch (Exception e) {
                    throw new AssertionError("could not uninstall " + b, e);
                }
            }
        }
        installed.clear();
    }

    // ------------------------------------------------------------------ bundles, services, clients

    /** Installs and starts an example jar from target/bundles; uninstalled after the test. */
    protected Bundle installAndStart(String jar) throws Exception {
        Bundle b = context.installBundle(bundleUrl(jar));
        installed.add(b);
        b.start();
        return b;
    }

    protected <S> ServiceRegistration<S> register(Class<S> type, Object service, Map<String, Object> properties) {
        @SuppressWarnings("unchecked")
        ServiceRegistration<S> r = (ServiceRegistration<S>) context.registerService(type.getName(), service,
                new java.util.Hashtable<>(properties));
        registrations.add(r);
        return r;
    }

    protected Client client() {
        Client c = Client.connect(endpoint.connect());
        clients.add(c);
        return c;
    }

    /** The Gogo command object registered with {@code osgi.command.scope=scope}, waiting for it. */
    protected Object commandObject(String scope) throws Exception {
        String filter = "(osgi.command.scope=" + scope + ")";
        ServiceReference<?>[] refs = awaitValue("a command service " + filter, () -> {
            ServiceReference<?>[] found = serviceReferences(filter);
            return found == null || found.length == 0 ? null : found;
        });
        if (refs.length != 1) {
            fail("expected one service " + filter + ", found " + refs.length);
        }
        return context.getService(refs[0]);
    }

    protected ServiceReference<?>[] serviceReferences(String filter) {
        try {
            return context.getServiceReferences((String) null, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Calls a no-argument method of a command object (a class of another bundle) by name. */
    protected static Object call(Object target, String method) throws Exception {
        try {
            return target.getClass().getMethod(method).invoke(target);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    protected static long count(Object counter) throws Exception {
        return ((Number) call(counter, "count")).longValue();
    }

    protected Bundle bundleNamed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED) {
                return b;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ shell

    /** The result of one shell command: what it printed, and the value it returned. */
    protected record ShellResult(String output, Object value) {
        String text() {
            return value == null ? output : output + value;
        }
    }

    /** Runs a command line through the Gogo {@link CommandProcessor}, as the Weft shell would. */
    protected ShellResult run(String commandLine) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        CommandSession session = commands.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            Object value = session.execute(commandLine);
            out.flush();
            return new ShellResult(buffer.toString(StandardCharsets.UTF_8), value);
        } finally {
            session.close();
        }
    }

    /** Runs a command and returns what it printed (plus its value, if it returned one). */
    protected String shell(String commandLine) throws Exception {
        return run(commandLine).text();
    }

    /** One table printed by a {@code weft:} command, as rows of column name to cell. */
    protected static List<Map<String, String>> table(String output, String firstColumn) {
        List<String> lines = output.lines().collect(Collectors.toList());
        int headerAt = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(firstColumn + " ")) {
                headerAt = i;
                break;
            }
        }
        if (headerAt < 0) {
            return List.of();
        }
        String header = lines.get(headerAt);
        List<String> names = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\S+").matcher(header);
        while (m.find()) {
            names.add(m.group());
            starts.add(m.start());
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(headerAt + 1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < names.size(); c++) {
                int from = Math.min(starts.get(c), line.length());
                int to = c + 1 < names.size() ? Math.min(starts.get(c + 1), line.length()) : line.length();
                row.put(names.get(c), line.substring(from, to).trim());
            }
            rows.add(row);
        }
        return rows;
    }

    /** The rows of {@code weft:plugins}. */
    protected List<Map<String, String>> plugins() throws Exception {
        return table(shell("weft:plugins"), "NAME");
    }

    protected List<Map<String, String>> pluginRows(String name, String state) throws Exception {
        return plugins().stream()
                .filter(r -> name.equals(r.get("NAME")) && state.equals(r.get("STATE")))
                .collect(Collectors.toList());
    }

    /** The worker addresses, from {@code weft:workers}. */
    protected List<String> workerAddresses() throws Exception {
        return table(shell("weft:workers"), "WORKER").stream().map(r -> r.get("WORKER")).collect(Collectors.toList());
    }

    // ------------------------------------------------------------------ waiting

    /** Polls {@code condition} until it holds, failing after {@link #WAIT}. */
    protected static void await(String what, Callable<Boolean> condition) throws Exception {
        awaitValue(what, () -> Boolean.TRUE.equals(condition.call()) ? Boolean.TRUE : null);
    }

    /** Polls until {@code probe} returns non-null, failing after {@link #WAIT}. */
    protected static <T> T awaitValue(String what, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            T value = probe.call();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + WAIT.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    protected static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
