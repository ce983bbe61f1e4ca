package org.weft.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The console's {@code install}: {@code install [-s] <url>...} checks each jar as plugins/ does
 * ({@link PluginJar}) before installing it, so a plain jar or a file that is not a jar is refused
 * with the reason, on the console and in the log, instead of becoming a nameless bundle. With
 * {@code -s} the bundle is also started. etc/gosh_profile points {@code install} here; the command
 * is registered by the launcher on the system bundle ({@code weft:install}) and takes only JDK
 * types, so it needs none of Gogo's classes.
 */
public final class ShellInstall {

    private static final Logger LOG = Logger.getLogger(ShellInstall.class.getName());

    private final BundleContext context;
    private final Path tmp;

    private ShellInstall(BundleContext context, Path tmp) {
        this.context = context;
        this.tmp = tmp;
    }

    static void register(BundleContext system, Path tmp) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "weft");
        properties.put("osgi.command.function", new String[] {"install"});
        system.registerService(Object.class, new ShellInstall(system, tmp), properties);
    }

    /** Gogo's entry point; prints {@code Bundle ID: n} for each jar installed. */
    public void install(String... args) {
        PrintStream out = System.out;
        boolean start = false;
        List<String> urls = new ArrayList<>();
        for (String arg : args == null ? new String[0] : args) {
            if ("-s".equals(arg) || "--start".equals(arg)) {
                start = true;
            } else {
                urls.add(arg);
            }
        }
        if (urls.isEmpty()) {
            out.println("usage: install [-s] <url>...  (-s: start it too)");
            return;
        }
        for (String url : urls) {
            String problem = installOne(url, start, out);
            if (problem != null) {
                LOG.warning(() -> "install " + url + ": " + problem);
                out.println("cannot install " + url + ": " + problem);
            }
        }
    }

    /** @return why it failed, or null */
    private String installOne(String url, boolean start, PrintStream out) {
        Path copy = null;
        try {
            Files.createDirectories(tmp);
            copy = Files.createTempFile(tmp, "install-", ".jar");
            try (InputStream in = open(url)) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            String problem = PluginJar.problem(copy);
            if (problem != null) {
                return problem;
            }
            Bundle bundle;
            try (InputStream in = Files.newInputStream(copy)) {
                bundle = context.installBundle(url, in);
            }
            out.println("Bundle ID: " + bundle.getBundleId());
            if (start) {
                try {
                    bundle.start();
                } catch (BundleException e) {
                    return "installed as bundle " + bundle.getBundleId() + ", but it does not start: "
                            + StartupProblems.message(e);
                }
            }
            return null;
        } catch (IOException e) {
            return "cannot read it: " + (e instanceof java.nio.file.NoSuchFileException
                    || e instanceof java.io.FileNotFoundException ? "no such file" : e.toString());
        } catch (BundleException | RuntimeException e) {
            LOG.log(Level.FINE, e, () -> "install " + url);
            return StartupProblems.message(e);
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    LOG.fine(() -> "cannot delete " + e);
                }
            }
        }
    }

    /** A URL, or a plain path as Gogo users also type. */
    private static InputStream open(String url) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null) {
            return Files.newInputStream(Path.of(url));
        }
        return uri.toURL().openStream();
    }
}
