package org.weft.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hosts simulated with Linux network namespaces ({@code ip netns}, iproute2): a switch namespace
 * holding a bridge, and one namespace per host joined to it by a veth pair, each host with an
 * address of RFC 2544's benchmarking range 198.18.0.0/15 on its {@code eth0} and only the route
 * of that subnet (no way out of the switch). Each host's cable can be pulled ({@link #cut}) and
 * plugged back ({@link #restore}). {@link #close} deletes every namespace it made; a JVM killed
 * before that leaves them behind, and the next {@link #create} deletes them (their names carry
 * the id of the process that made them). Needs CAP_NET_ADMIN: {@link #create} throws
 * {@link Unavailable}, with what {@code ip} said, where namespaces cannot be made.
 */
final class SimulatedHosts implements AutoCloseable {

    /** Every namespace name starts with this, then the creating process's id. */
    private static final String PREFIX = "weftit";
    private static final String SUBNET = "198.18.0.";

    /** Namespaces cannot be made here (no {@code ip}, no CAP_NET_ADMIN): the reason. */
    static final class Unavailable extends Exception {
        Unavailable(String reason) {
            super(reason);
        }
    }

    private final String id;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private final Thread deleteOnExit = new Thread(this::deleteAll, "weft-it-delete-namespaces");

    private SimulatedHosts(String id) {
        this.id = id;
    }

    /**
     * Makes the switch and the hosts named {@code hosts} (short names: they become part of
     * interface names), addressed 198.18.0.1, .2, ... in that order.
     */
    static SimulatedHosts create(String... hosts) throws Unavailable, IOException, InterruptedException {
        deleteLeftovers();
        SimulatedHosts net = new SimulatedHosts(PREFIX + ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(net.deleteOnExit);
        try {
            net.build(hosts);
        } catch (Unavailable | IOException | RuntimeException | Error e) {
            net.close();
            throw e;
        }
        return net;
    }

    private void build(String... hosts) throws Unavailable, IOException, InterruptedException {
        String sw = namespace("sw");
        Result made = ip("netns", "add", sw);
        if (made.status != 0) {
            throw new Unavailable("'ip netns add' failed (network namespaces need CAP_NET_ADMIN, e.g. root): " + made.output.strip());
        }
        namespaces.add(sw);
        run("-n", sw, "link", "set", "lo", "up");
        run("-n", sw, "link", "add", "br0", "type", "bridge");
        run("-n", sw, "link", "set", "br0", "up");
        int n = 0;
        for (String host : hosts) {
            String ns = namespace(host);
            String address = SUBNET + (++n);
            run("netns", "add", ns);
            namespaces.add(ns);
            // both ends are made in the switch namespace, so no interface ever appears in this one
            run("-n", sw, "link", "add", plug(host), "type", "veth", "peer", "name", "eth0", "netns", ns);
            run("-n", sw, "link", "set", plug(host), "master", "br0", "up");
            run("-n", ns, "link", "set", "lo", "up");
            run("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
            run("-n", ns, "link", "set", "eth0", "up");
            addresses.put(host, address);
        }
    }

    /** The host's address, e.g. 198.18.0.2. */
    String address(String host) {
        return required(addresses.get(host), host);
    }

    /** The host's namespace name, for {@code ip netns exec}. */
    String namespaceOf(String host) {
        required(addresses.get(host), host);
        return namespace(host);
    }

    /** The command prefix that runs a program on {@code host}: {@code ip netns exec NS}. */
    List<String> on(String host) {
        return List.of("ip", "netns", "exec", namespaceOf(host));
    }

    /** The host's routes, as {@code ip route} prints them. */
    String routes(String host) throws IOException, InterruptedException {
        return run("-n", namespaceOf(host), "route", "show");
    }

    /** Pulls the host's cable: its switch port goes down, and every packet to or from it is lost. */
    void cut(String host) throws IOException, InterruptedException {
        required(addresses.get(host), host);
        run("-n", namespace("sw"), "link", "set", plug(host), "down");
    }

    /** Plugs the host's cable back in. */
    void restore(String host) throws IOException, InterruptedException {
        required(addresses.get(host), host);
        run("-n", namespace("sw"), "link", "set", plug(host), "up");
    }

    @Override
    public void close() {
        deleteAll();
        try {
            Runtime.getRuntime().removeShutdownHook(deleteOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now (or ran)
        }
    }

    private synchronized void deleteAll() {
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                ip("netns", "delete", namespaces.get(i));
            } catch (IOException | InterruptedException e) {
                System.err.println("could not delete network namespace " + namespaces.get(i) + ": " + e);
            }
        }
        namespaces.clear();
    }

    /** Deletes namespaces of this class whose creating process is gone (a run that was killed). */
    private static void deleteLeftovers() throws IOException, InterruptedException {
        Result list = ip("netns", "list");
        if (list.status != 0) {
            return; // no ip, or no namespaces at all: create says why
        }
        for (String line : list.output.lines().toList()) {
            String name = line.split("\\s+")[0];
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String digits = name.substring(PREFIX.length()).replaceAll("-.*", "");
            if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit)
                    && ProcessHandle.of(Long.parseLong(digits)).map(p -> !p.isAlive()).orElse(true)) {
                ip("netns", "delete", name);
            }
        }
    }

    private String namespace(String host) {
        return id + "-" + host;
    }

    /** The switch's end of a host's cable (interface names have at most 15 characters). */
    private static String plug(String host) {
        return "p-" + host;
    }

    private static String required(String address, String host) {
        if (address == null) {
            throw new IllegalArgumentException("no simulated host " + host);
        }
        return address;
    }

    private record Result(int status, String output) {
    }

    /** Runs {@code ip args}; throws with its output unless it succeeds. */
    private static String run(String... args) throws IOException, InterruptedException {
        Result r = ip(args);
        if (r.status != 0) {
            throw new IOException("ip " + String.join(" ", args) + " failed (exit " + r.status + "): " + r.output.strip());
        }
        return r.output;
    }

    private static Result ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(127, "cannot run ip (iproute2): " + e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("ip " + String.join(" ", args) + " did not end within 30 s");
        }
        return new Result(p.exitValue(), out);
    }
}
