package org.weft.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * How a client command ({@code weft submit}, {@code weft upload}) reaches a running scheduler:
 * its address, token and TLS. Checked before the client starts; handed to it as arguments.
 */
final class ClientConnectionOptions {

    @Option(names = "--scheduler", paramLabel = "tcp://HOST:PORT", required = true,
            description = "The scheduler's address, as its 'scheduler at' line prints it.")
    String scheduler;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file whose first line is the scheduler's token (default: the environment variable "
                    + NetworkOptions.TOKEN_ENV + ", else none).")
    Path tokenFile;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "PEM certificate(s) of the authority that signed the scheduler's certificate: "
                    + "connect with TLS (default: no TLS).")
    Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate this client presents, for a scheduler that requires one; with --tls-key "
                    + "and --tls-ca.")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert.")
    Path tlsKey;

    /** @return what is wrong with these options, or null */
    String problem() {
        String problem = NetworkValues.addressProblem("--scheduler", scheduler);
        if (problem == null) {
            problem = unreadable("--token-file", tokenFile, "--tls-ca", tlsCa, "--tls-cert", tlsCertificate,
                    "--tls-key", tlsKey);
        }
        if (problem == null && (tlsCertificate == null) != (tlsKey == null)) {
            problem = "--tls-cert and --tls-key go together: give both or neither";
        }
        if (problem == null && tlsCertificate != null && tlsCa == null) {
            problem = "--tls-cert and --tls-key need --tls-ca";
        }
        return problem;
    }

    /** Adds {@code --scheduler} and the TLS options to the client's arguments. */
    void addTo(List<String> args) {
        args.addAll(List.of("--scheduler", scheduler));
        add(args, "--tls-ca", tlsCa);
        add(args, "--tls-cert", tlsCertificate);
        add(args, "--tls-key", tlsKey);
    }

    /** Adds {@code --token-file}; without it the client takes WEFT_TOKEN itself (ClientOptions). */
    void addTokenTo(List<String> args) {
        add(args, "--token-file", tokenFile);
    }

    private static void add(List<String> args, String option, Path file) {
        if (file != null) {
            args.addAll(List.of(option, file.toAbsolutePath().normalize().toString()));
        }
    }

    /** @return the first option of {@code optionsAndFiles} whose file is given but not readable, as a message */
    static String unreadable(Object... optionsAndFiles) {
        for (int i = 0; i < optionsAndFiles.length; i += 2) {
            Path file = (Path) optionsAndFiles[i + 1];
            if (file != null && !Files.isReadable(file)) {
                return optionsAndFiles[i] + " " + file + ": no such readable file";
            }
        }
        return null;
    }
}
