package org.weft.pluginhost;

import java.util.function.Consumer;

/**
 * One hook call to make on a plugin: which hook, what it is about (for the log), and the call
 * itself, which captures only an immutable event record, so it can be queued for an async plugin
 * or held during a handover and made later.
 *
 * <p>{@link #of} wraps any call; a transition, the one hook called for every task several times,
 * has its own subclass ({@link SchedulerPluginHost}'s), so the call made for each plugin is not a
 * lambda allocated per event and called through {@code Consumer}, but one virtual call the JIT
 * can inline.
 */
abstract class HookCall<P> {

    private final String hook;
    private final String subject;

    /**
     * @param hook the hook's name, e.g. {@code transition}
     * @param subject the task key, worker, client or topic concerned, or {@code null}
     */
    HookCall(String hook, String subject) {
        this.hook = hook;
        this.subject = subject;
    }

    /** A call that runs {@code action} on the plugin. */
    static <P> HookCall<P> of(String hook, String subject, Consumer<? super P> action) {
        return new HookCall<>(hook, subject) {
            @Override
            void callOn(P plugin) {
                action.accept(plugin);
            }
        };
    }

    /** Makes the call on {@code plugin}; what it throws is the caller's to handle. */
    abstract void callOn(P plugin);

    String hook() {
        return hook;
    }

    String subject() {
        return subject;
    }
}
