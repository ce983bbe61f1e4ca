package org.weft.protocol;

/** Who is at the other end of a link; said in the handshake, and it limits what the peer may send. */
public enum Role {
    /** A client program: submits graphs, gathers results. */
    CLIENT,
    /** A worker process: runs tasks for the scheduler, serves its results to peers. */
    WORKER,
    /** A worker (or a client) asking a worker for data it holds: only {@link DataMessage.GetData}. */
    PEER,
    /**
     * The nanny of a worker process: gets the scheduler's depot bundles (those that provide nanny
     * plugins) and answers for each with {@link BundleMessage.BundleState}, nothing else.
     */
    NANNY,
    /** The scheduler, connecting nowhere today: listed so both ends name themselves the same way. */
    SCHEDULER;

    /** Whether a peer of this role may send {@code message} to a scheduler or worker it connected to. */
    public boolean maySend(Message message) {
        return switch (this) {
            case CLIENT -> message instanceof ClientMessage || message instanceof Handshake;
            case WORKER -> message instanceof WorkerMessage || message instanceof DataMessage.Data
                    || message instanceof BundleMessage.BundleState || message instanceof Handshake;
            case PEER -> message instanceof DataMessage.GetData || message instanceof Handshake;
            case NANNY -> message instanceof BundleMessage.BundleState || message instanceof Handshake;
            case SCHEDULER -> message instanceof SchedulerMessage || message instanceof DataMessage
                    || (message instanceof BundleMessage && !(message instanceof BundleMessage.BundleState))
                    || message instanceof Handshake;
        };
    }
}
