package org.weft.client.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.weft.client.BundleUpload;
import org.weft.client.Client;
import org.weft.client.ClientOptions;
import org.weft.client.WeftException;

/**
 * {@code weft upload}: sends a jar to a scheduler process's bundle depot, from where every worker
 * (connected now or joining later) installs it. A bundle (its manifest names a
 * {@code Bundle-SymbolicName}) is sent as it is ({@link Client#uploadBundle}); a plain jar is
 * wrapped into one by the scheduler ({@link Client#uploadJar}). Prints the bundle and its state
 * on each worker.
 *
 * <p>Exit status: 0 the bundle is ACTIVE on every connected worker (or none is connected); 1 the
 * scheduler refused the jar, or it is not ACTIVE on some worker; 2 wrong arguments or an
 * unreadable file; 3 the scheduler could not be reached or refused the client.
 */
public final class UploadMain {

    private static final String USAGE_TEXT = "usage: weft upload FILE.jar --scheduler tcp://HOST:PORT"
            + " [--token-file FILE] [--tls-ca CA.pem [--tls-cert CERT.pem --tls-key KEY.pem]]";

    private UploadMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. Never calls {@link System#exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        SubmitMain.Arguments a;
        try {
            a = SubmitMain.Arguments.parse(args, "jar");
        } catch (IllegalArgumentException e) {
            err.println("weft upload: " + e.getMessage());
            err.println(USAGE_TEXT);
            return SubmitMain.USAGE;
        }
        boolean bundle;
        ClientOptions options;
        try {
            bundle = isBundle(a.file);
            options = a.options();
        } catch (IOException | IllegalArgumentException e) {
            err.println("weft upload: cannot read " + SubmitMain.reason(e));
            return SubmitMain.USAGE;
        }
        Client client;
        try {
            client = Client.connect(a.scheduler, options);
        } catch (IllegalArgumentException e) {
            err.println("weft upload: " + e.getMessage());
            return SubmitMain.USAGE;
        } catch (WeftException e) {
            err.println("weft upload: " + e.getMessage());
            return SubmitMain.UNREACHABLE;
        }
        try (client) {
            BundleUpload result = bundle ? client.uploadBundle(a.file) : client.uploadJar(a.file);
            print(result, bundle, out);
            return result.notActive().isEmpty() ? SubmitMain.OK : SubmitMain.FAILED;
        } catch (RuntimeException e) {
            err.println("weft upload: " + a.file.getFileName() + " was not taken: "
                    + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return SubmitMain.FAILED;
        }
    }

    private static void print(BundleUpload r, boolean bundle, PrintStream out) {
        out.println("uploaded " + r.symbolicName() + " " + r.version() + " (sha256 " + r.sha256() + ")"
                + (bundle ? "" : ", wrapped from a plain jar"));
        if (!r.functions().isEmpty()) {
            out.println("task functions: " + String.join(", ", r.functions()));
        }
        if (r.workers().isEmpty()) {
            out.println("no worker is connected: each worker gets it when it joins");
        }
        for (BundleUpload.WorkerState w : r.workers()) {
            String who = w.name() == null || w.name().equals(w.worker()) ? w.worker() : w.name() + " (" + w.worker() + ")";
            out.println("  " + who + ": " + w.state() + (w.cause() == null ? "" : ": " + w.cause()));
        }
    }

    /** Whether the jar's manifest names a Bundle-SymbolicName. */
    static boolean isBundle(Path jar) throws IOException {
        if (!Files.isReadable(jar)) {
            throw new java.nio.file.NoSuchFileException(jar.toString());
        }
        try (InputStream in = Files.newInputStream(jar); JarInputStream zip = new JarInputStream(in)) {
            Manifest manifest = zip.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue("Bundle-SymbolicName") != null;
        }
    }
}
