package org.weft.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft upload}: no framework. Runs {@code org.weft.client.remote.UploadMain} from
 * {@code lib/client/*.jar}, as {@code weft submit} runs its client.
 */
@Command(name = "upload",
        mixinStandardHelpOptions = true,
        versionProvider = WeftVersion.class,
        description = {
            "Send a jar to every worker through a running scheduler's bundle depot.",
            "",
            "Every worker, connected now or joining later, installs it and runs what it",
            "provides.",
            "",
            "A bundle (its manifest has a Bundle-SymbolicName) goes as it is: its task",
            "functions, worker plugins and nanny plugins reach every worker; a bundle with",
            "the same symbolic name is replaced (worker plugins: old teardown, new setup).",
            "A plain jar (mvn package of an ordinary library) is wrapped into a bundle on",
            "the scheduler (bnd computes its imports); each class annotated",
            "@TaskFunctionName(\"name\") implementing TaskFunction becomes a task function",
            "callable by that name. Prints the bundle and its state on each worker",
            "(ACTIVE, or FAILED with the cause, e.g. a missing requirement); weft:bundles",
            "on the scheduler's console lists the depot. Exit status: 0 ACTIVE on every",
            "connected worker; 1 refused, or not ACTIVE somewhere; 2 a wrong command line",
            "or file; 3 the scheduler could not be reached or refused the client.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  weft upload my-plugin.jar --scheduler tcp://127.0.0.1:8786",
            "  weft upload target/my-functions-1.0.jar --scheduler tcp://10.0.0.5:8786 \\",
            "      --token-file token.txt --tls-ca ca.pem"})
final class UploadCommand implements Callable<Integer> {

    static final String MAIN_CLASS = "org.weft.client.remote.UploadMain";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.jar", description = "The bundle or plain jar to send.")
    private Path jar;

    @Mixin
    private ClientConnectionOptions connection;

    @Override
    public Integer call() {
        String problem = connection.problem();
        if (problem == null && !Files.isReadable(jar)) {
            problem = "FILE.jar " + jar + ": no such readable file";
        }
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
        List<String> args = new ArrayList<>(List.of(jar.toAbsolutePath().normalize().toString()));
        connection.addTo(args);
        connection.addTokenTo(args);
        return SubmitCommand.run(WeftHome.fromSystemProperty().root().resolve("lib/client"), MAIN_CLASS,
                args.toArray(String[]::new), System.out, System.err);
    }
}
