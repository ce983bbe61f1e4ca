package org.weft.plugin.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Custom code run when a scheduler, worker, nanny or client starts and stops (Dask's preload
 * scripts, {@code dask_setup} and {@code dask_teardown}).
 *
 * <p>A preload is named on the command line ({@code bin/weft scheduler --preload ...},
 * {@code bin/weft worker --preload ... --preload-nanny ...}, {@code bin/weft local --preload ...}),
 * in {@code etc/preload.properties} ({@code scheduler.preload.1 = ...}), or in a client's
 * options, as one of:
 * <ul>
 *   <li>the path of a jar ({@code /opt/setup.jar}): installed and started as a bundle where the
 *       node runs in OSGi, put on a class loader of its own in a plain JVM; its manifest header
 *       {@value #MANIFEST_HEADER} names the class implementing {@code Preload};</li>
 *   <li>the name of a class implementing {@code Preload} ({@code com.example.Setup}), found in an
 *       installed bundle (or on the class path in a plain JVM);</li>
 *   <li>a short Java snippet, run once with JShell in the node's JVM, where the JDK has JShell
 *       ({@code System.setProperty("A", "b");}): it sees the JDK only, not the node, and has no
 *       teardown.</li>
 * </ul>
 * A class preload needs a public no-argument constructor; each start makes a new instance.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #setup} runs before the node opens a port or makes any connection, and before
 *       plugins from bundles are bound: a scheduler's before it listens, a worker's before it
 *       starts its data server and joins its scheduler, a nanny's before it starts its worker. A
 *       client's runs once the client is connected (as in Dask), and a preload that cannot be
 *       found or parsed fails before it connects.</li>
 *   <li>Several preloads are set up one at a time, in the order given; {@link #teardown} runs
 *       when the node stops, in reverse order (Dask 2022 tore down in order).</li>
 *   <li>A preload that cannot be found, whose options do not parse, or whose {@link #setup}
 *       throws stops the start: the process exits with status 1 and an error naming the preload,
 *       the preloads already set up are torn down in reverse order, and the node opens no port
 *       and joins nothing (Dask only logs a failing {@code dask_setup}).</li>
 *   <li>{@link #teardown} throwing is logged; the other preloads are still torn down.</li>
 *   <li>Both are called on a thread of the host, not a scheduler or worker loop, one preload at
 *       a time.</li>
 * </ul>
 *
 * <h2>Options</h2>
 * Arguments of {@code bin/weft scheduler}, {@code worker} or {@code local} that the command does
 * not know go to the preloads, as in Dask. A preload takes options by declaring them with
 * picocli's annotations on its fields ({@code @picocli.CommandLine.Option}, importing package
 * {@code picocli}; Dask's preloads declare them with click); they are set before {@link #setup}.
 * The rules are Dask's: the command line's extra arguments go to every preload, at most one of
 * them may declare options, and extra arguments with no preload declaring options, or an option
 * the preload does not declare, stop the start. Configuration gives each preload its own list
 * ({@code scheduler.preload-argv.1 = --print-count}). On {@code bin/weft worker} the extra
 * arguments go to the worker's preloads, never to the nanny's.
 *
 * <pre>{@code
 * public class PrintWorkers implements Preload {
 *     @picocli.CommandLine.Option(names = "--print-count", negatable = true)
 *     boolean printCount;
 *
 *     public void setup(PreloadNode node) {
 *         node.addPlugin(new WorkerPrinter(printCount), PluginOptions.named("print-workers"));
 *     }
 * }
 * }</pre>
 *
 * @since 1.3
 */
@ConsumerType
public interface Preload {

    /** The manifest header of a preload jar naming its {@code Preload} class. */
    String MANIFEST_HEADER = "Weft-Preload";

    /**
     * Prepares the node; runs before it opens or makes any connection (a client: after it
     * connected). Plugins added through {@code node} are running before the node takes its first
     * worker, task or client.
     *
     * @throws Exception to stop the node from starting; the message is shown with the preload's name
     */
    default void setup(PreloadNode node) throws Exception {
    }

    /** The node stops; called in reverse order of {@link #setup}, only after a setup that returned. */
    default void teardown(PreloadNode node) throws Exception {
    }
}
