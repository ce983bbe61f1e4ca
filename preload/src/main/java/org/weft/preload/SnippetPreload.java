package org.weft.preload;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

import org.weft.plugin.api.Preload;
import org.weft.plugin.api.PreloadNode;

/**
 * A preload given as Java statements: {@link #setup} runs them once, in this JVM, with JShell's
 * local execution (Dask's preload given as Python text). The snippet sees the JDK only, not the
 * node; it has no teardown. Where the Java runtime has no {@code jdk.jshell} module, setup fails
 * saying so.
 */
final class SnippetPreload implements Preload {

    private final PreloadSpec spec;

    SnippetPreload(PreloadSpec spec) {
        this.spec = spec;
    }

    /** Whether this Java runtime can run snippets. */
    static boolean available() {
        return ModuleLayer.boot().findModule("jdk.jshell").isPresent();
    }

    @Override
    public void setup(PreloadNode node) throws Exception {
        if (!available()) {
            throw new IllegalStateException("this Java runtime has no JShell (module jdk.jshell) to run a snippet;"
                    + " use a full JDK, or give the preload as a class or a jar");
        }
        // JShell finds its execution engines through the context class loader: a host's own
        // (a bundle's, weft submit's) may not see them
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        ClassLoader jshell = JShell.class.getClassLoader();
        thread.setContextClassLoader(jshell != null ? jshell : ClassLoader.getSystemClassLoader());
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            for (String statement : statements(shell, spec.text())) {
                run(shell, statement);
            }
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** The snippet cut into the pieces JShell evaluates one at a time. */
    private static List<String> statements(JShell shell, String source) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        List<String> statements = new ArrayList<>();
        String rest = source;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete()) {
                throw new IllegalArgumentException("the snippet is incomplete at '" + rest.strip() + "'");
            }
            statements.add(info.source());
            rest = info.remaining();
        }
        return statements;
    }

    private static void run(JShell shell, String statement) throws Exception {
        for (SnippetEvent event : shell.eval(statement)) {
            if (event.exception() instanceof jdk.jshell.EvalException thrown) {
                throw new IllegalStateException("the snippet threw " + thrown.getExceptionClassName()
                        + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage()));
            }
            if (event.exception() != null) {
                throw new IllegalStateException("the snippet failed: " + event.exception().getMessage());
            }
            if (event.status() == Snippet.Status.REJECTED) {
                String errors = shell.diagnostics(event.snippet()).map(d -> d.getMessage(java.util.Locale.ROOT))
                        .collect(Collectors.joining("; "));
                throw new IllegalArgumentException("the snippet does not compile: " + errors + " in '" + statement.strip() + "'");
            }
        }
    }

    @Override
    public String toString() {
        return spec.label();
    }
}
