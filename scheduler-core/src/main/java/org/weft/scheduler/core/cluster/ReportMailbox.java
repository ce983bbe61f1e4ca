package org.weft.scheduler.core.cluster;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.node.SchedulerInstruction;

/**
 * One in-process client's reports on their way from the scheduler loop to the client's delivery
 * thread, handed over in batches, as Dask's scheduler sends to a client through a
 * {@code BatchedSend} (every 2 ms): the loop drops each turn's reports here, and the first batch
 * after a delivery schedules the next delivery {@link #COALESCE_MICROS} later; what arrives
 * meanwhile goes with it. So the delivery thread is woken once per interval, not once per loop
 * turn (at 200 000 tasks/s that was a thread wake-up, two system calls on a VM, every few tasks),
 * and a result reaches its future at most that much later. Reports keep their order; nothing is
 * dropped, also not on close (the executor runs delayed tasks after {@code shutdown()}).
 */
final class ReportMailbox {

    private static final Logger LOG = LoggerFactory.getLogger(ReportMailbox.class);

    /** How long reports wait for company before they are delivered. */
    static final long COALESCE_MICROS = 500;

    private final ConcurrentLinkedQueue<List<SchedulerInstruction>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ScheduledExecutorService delivery;
    private final Consumer<List<SchedulerInstruction>> deliver;

    ReportMailbox(ScheduledExecutorService delivery, Consumer<List<SchedulerInstruction>> deliver) {
        this.delivery = delivery;
        this.deliver = deliver;
    }

    /** From the scheduler loop: one turn's reports. Never blocks. */
    void send(List<SchedulerInstruction> reports) {
        pending.add(reports);
        if (scheduled.compareAndSet(false, true)) {
            delivery.schedule(this::drain, COALESCE_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    /** On the delivery thread: everything sent so far, in order; a batch whose delivery throws does not hold up the rest. */
    private void drain() {
        scheduled.set(false); // a send from now on schedules another drain, which may find nothing
        List<SchedulerInstruction> reports;
        while ((reports = pending.poll()) != null) {
            try {
                deliver.accept(reports);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("delivering {} report(s) to the client failed; carrying on with the next", reports.size(), e);
            }
        }
    }
}
