/**
 * The Weft plugin API: everything a plugin or task author compiles against.
 *
 * <h2>Who implements what</h2>
 * <ul>
 *   <li>Plugin and task authors implement the {@code @ConsumerType} interfaces:
 *       {@link org.weft.plugin.api.SchedulerPlugin}, {@link org.weft.plugin.api.WorkerPlugin},
 *       {@link org.weft.plugin.api.NannyPlugin}, {@link org.weft.plugin.api.TaskFunction} and
 *       {@link org.weft.plugin.api.MetricsSource} and {@link org.weft.plugin.api.Serializer} (since 1.3),
 *       {@link org.weft.plugin.api.Preload} (since 1.3: code run as a node starts and stops), and
 *       {@link org.weft.plugin.api.ProcessSamples} (since 1.4: the latest CPU and memory of this process).
 *       They grow only by default methods, so a plugin built against 1.0 keeps working on 1.x.</li>
 *   <li>Weft implements the {@code @ProviderType} views a plugin receives
 *       ({@link org.weft.plugin.api.SchedulerView}, {@link org.weft.plugin.api.TaskView},
 *       {@link org.weft.plugin.api.WorkerInfo}, {@link org.weft.plugin.api.WorkerView},
 *       {@link org.weft.plugin.api.WorkerTaskView}, {@link org.weft.plugin.api.TaskContext},
 *       {@link org.weft.plugin.api.PreloadNode}, and since 1.4 {@link org.weft.plugin.api.PluginContext}:
 *       a scheduler plugin's handle on the host, e.g. to say the events it wants changed).
 *       Since 1.5 {@link org.weft.plugin.api.TaskView#prefixLength} gives a key's prefix as the scheduler
 *       groups tasks, for a plugin that sees only keys (an asynchronous one).</li>
 * </ul>
 *
 * <h2>How a plugin reaches a cluster</h2>
 * A plugin bundle registers its plugin as an OSGi service, naming it with the component property
 * type {@link org.weft.plugin.api.PluginName} (and optionally {@link org.weft.plugin.api.PluginIdempotent}
 * and {@link org.weft.plugin.api.AsyncDelivery}). The host binds every such service dynamically:
 * installing the bundle starts the plugin, updating it replaces the plugin, uninstalling it closes
 * the plugin, all on a running cluster. The same plugins can be added in code with
 * {@link org.weft.plugin.api.PluginOptions}.
 *
 * <h2>Threads</h2>
 * Synchronous hooks run on the loop that owns the scheduler (or worker) state, after the
 * transition was applied, so a plugin may read the live state through the view it was given in
 * {@code start}/{@code setup}. Nothing else may touch those views. "The loop" is exclusive, not
 * one fixed thread: usually the loop's own thread runs it, but a thread that finds it idle (a
 * worker's executor reporting a result) may run its work instead; hooks are never called
 * concurrently and always in stimulus order, but a plugin must not keep state in thread-locals. Asynchronous plugins receive the
 * same immutable event records on a thread of their own and must not read the live views.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package org.weft.plugin.api;
