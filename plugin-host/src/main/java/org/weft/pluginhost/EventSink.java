package org.weft.pluginhost;

/** Where a host sends a hook call: a plugin's slot, or a handover buffer holding calls for a name. */
interface EventSink<P> {

    /** Deliver (or hold, or forward) one call; on the loop thread. */
    void deliver(HookCall<P> call);
}
