package org.weft.comm.netty;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;

/** A link handler that records what arrives and every close; optionally echoes each batch back. */
class Recorder implements LinkHandler {

    final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    final List<String> closedReasons = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final boolean echo;
    volatile Link link;

    Recorder() {
        this(false);
    }

    Recorder(boolean echo) {
        this.echo = echo;
    }

    @Override
    public void received(Link from, List<Message> messages) {
        link = from;
        threads.add(Thread.currentThread().getName());
        received.addAll(messages);
        if (echo) {
            from.send(messages);
        }
    }

    @Override
    public void closed(Link from, String reason) {
        closedReasons.add(reason);
        closed.countDown();
    }

    Message next() throws InterruptedException {
        Message m = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(m, "no message arrived");
        return m;
    }

    List<Message> next(int count) throws InterruptedException {
        List<Message> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(next());
        }
        return out;
    }

    /** The one reason the link closed with (waits for it). */
    String awaitClosed() throws InterruptedException {
        assertTrue(closed.await(20, TimeUnit.SECONDS), "the link did not close");
        return closedReasons.get(0);
    }
}
