package org.weft.plugin.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Extends the nanny that supervises a worker process ({@code bin/weft worker} runs under a nanny
 * unless told {@code --no-nanny}): the nanny starts the worker's JVM, restarts it when it dies or
 * passes its memory limit, and hosts these plugins in its own framework.
 *
 * <p>Register it as an OSGi service in the nanny's framework, named with {@link PluginName} (a
 * bundle in the nanny's {@code plugins/} folder, or installed from the nanny's shell); a plugin
 * without a name is given {@code ClassName-<uuid>}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #setup} runs when the plugin is registered on a nanny: at the nanny's start for the
 *       plugins already there, before the nanny starts its first worker; later, as soon as the
 *       service appears. All hooks of a nanny run on its one thread {@code weft-nanny}, one at a
 *       time, never concurrently with the nanny's own decisions about its worker.</li>
 *   <li>{@link #restart()} true: after a successful {@link #setup} the nanny restarts its worker (a
 *       fresh process), as Dask does; at the nanny's start the first worker simply starts after the
 *       setup. False (the default): the worker is left alone.</li>
 *   <li>Same name again: the old plugin's {@link #teardown}, then the new one's {@link #setup} (Dask
 *       leaves the old one running); a plugin marked {@link PluginIdempotent} with a name already
 *       present is ignored.</li>
 *   <li>{@link #setup} throws: the error is logged with the plugin's name, the plugin is not added,
 *       its {@link #teardown} is never called, and nothing is restarted.</li>
 *   <li>{@link #teardown} runs when the service goes away (its bundle stopped, updated or
 *       uninstalled) and when the nanny stops, before the nanny stops its worker. A teardown that
 *       throws is logged; the nanny carries on.</li>
 * </ul>
 *
 * @since 1.0
 */
@ConsumerType
public interface NannyPlugin {

    /** Attach to a nanny. Keep {@code nanny} to read it or restart its worker later. */
    default void setup(NannyView nanny) throws Exception {
    }

    /** Detach from a nanny: the plugin left, or the nanny is stopping. */
    default void teardown(NannyView nanny) throws Exception {
    }

    /** Whether the nanny restarts its worker after a successful {@link #setup}. */
    default boolean restart() {
        return false;
    }
}
