package org.weft.node.link;

import java.util.List;

import org.weft.node.SchedulerInstruction;

/**
 * How the scheduler reaches one client. Called on the scheduler loop thread with the reports of
 * one loop turn; must not block.
 */
public interface ClientLink {

    void send(List<SchedulerInstruction> reports);
}
