package org.weft.comm.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.util.List;

import org.weft.protocol.Codec;
import org.weft.protocol.Handshake;
import org.weft.protocol.Message;
import org.weft.protocol.ProtocolException;

/** A peer on a plain blocking socket that writes whatever bytes a test wants. */
final class RawPeer implements AutoCloseable {

    private static final Codec CODEC = new Codec();

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    RawPeer(String address) throws IOException {
        this(address, 0);
    }

    /** @param receiveBuffer the socket's receive buffer in bytes; 0: the system's */
    RawPeer(String address, int receiveBuffer) throws IOException {
        TcpAddress to = TcpAddress.parse(address);
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress(to.host(), to.port()), 10_000);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    void send(Message... messages) throws IOException {
        frame(CODEC.encode(List.of(messages)));
    }

    void frame(byte[] payload) throws IOException {
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    /**
     * A frame the server may refuse from its length alone: it may close the connection while the
     * payload is still being written, so a broken pipe here is expected and the answer is read after.
     */
    void refusedFrame(byte[] payload) throws IOException {
        out.writeInt(payload.length);
        out.flush();
        try {
            out.write(payload);
            out.flush();
        } catch (java.net.SocketException closedWhileWriting) {
            // the server answered the length already; what it said is read next
        }
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame's messages, or null at the end of the stream. */
    List<Message> read() throws IOException, ProtocolException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return CODEC.decode(frame);
    }

    /** Reads the welcome that answers a hello. */
    Handshake.Welcome shakeHands(Handshake.Hello hello) throws IOException, ProtocolException {
        send(hello);
        List<Message> answer = read();
        assertNotNull(answer, "closed instead of a welcome");
        return assertInstanceOf(Handshake.Welcome.class, answer.get(0));
    }

    /** Expects one frame holding {@code expected} alone, then the end of the stream; returns its reason. */
    <T extends Handshake> T expectLastWords(Class<T> expected) throws IOException, ProtocolException {
        List<Message> frame = read();
        assertNotNull(frame, "closed without a " + expected.getSimpleName());
        assertEquals(1, frame.size(), frame.toString());
        T last = assertInstanceOf(expected, frame.get(0));
        assertEquals(null, read(), "the server kept the connection open");
        return last;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
