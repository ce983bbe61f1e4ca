package org.weft.scheduler.core.plugin;

import java.util.function.Consumer;

/**
 * One hook call to make on a plugin: which hook, what it is about (for the log), and the call
 * itself, which captures only an immutable event record, so it can be queued for an async plugin
 * or held during a handover and made later.
 *
 * @param hook the hook's name, e.g. {@code transition}
 * @param subject the task key, worker, client or topic concerned, or {@code null}
 * @param action the call
 */
record HookCall<P>(String hook, String subject, Consumer<? super P> action) {
}
