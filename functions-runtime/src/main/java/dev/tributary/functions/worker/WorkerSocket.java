package dev.tributary.functions.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Unix domain socket workers and zygotes connect to. Each connection gets its own reader
 * thread; its first line must be a hello carrying a token the server expects, else it is closed.
 */
final class WorkerSocket implements AutoCloseable {

    /** Told when a process with an expected token has connected; returns who reads its later messages. */
    @FunctionalInterface
    interface Connected {
        MessageListener connected(LineChannel channel, JsonNode hello);
    }

    interface MessageListener {
        void onMessage(JsonNode message);

        /** The connection ended: the process closed it, exited or was killed. */
        void onClosed();
    }

    /** Linux allows 108 bytes in sun_path, the terminating NUL included. */
    private static final int MAX_PATH_BYTES = 107;

    private final Path path;
    private final String threadPrefix;
    private final ServerSocketChannel server;
    private final Map<String, Connected> expected = new ConcurrentHashMap<>();
    /** Reader threads are reused across workers: a cold start should not also pay for a new thread. */
    private final ExecutorService readers;
    private volatile boolean closed;

    private WorkerSocket(Path path, String threadPrefix, ServerSocketChannel server) {
        this.path = path;
        this.threadPrefix = threadPrefix;
        this.server = server;
        this.readers = Executors.newCachedThreadPool(WarmWorkers.daemonThreads(threadPrefix + "-connection"));
    }

    static WorkerSocket open(Path path, String threadPrefix) {
        if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("Expected a worker socket path of at most " + MAX_PATH_BYTES
                    + " bytes, but " + path + " is longer: choose a shorter runtime directory");
        }
        try {
            Files.deleteIfExists(path);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            WorkerSocket socket = new WorkerSocket(path, threadPrefix, server);
            Thread acceptor = new Thread(socket::acceptLoop, threadPrefix + "-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to listen for workers on " + path + ", but " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    void expect(String token, Connected connected) {
        expected.put(token, connected);
    }

    void forget(String token) {
        expected.remove(token);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel connection = server.accept();
                readers.execute(() -> serve(connection));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(SocketChannel connection) {
        LineChannel channel = new LineChannel(connection);
        MessageListener listener = null;
        String idleName = Thread.currentThread().getName();
        try {
            JsonNode hello = channel.read();
            Connected connected = hello == null ? null : expected.remove(hello.path("hello").asText(""));
            if (connected == null) {
                return;
            }
            Thread.currentThread().setName(threadPrefix + "-" + hello.path("pid").asLong());
            listener = connected.connected(channel, hello);
            for (JsonNode message = channel.read(); message != null; message = channel.read()) {
                listener.onMessage(message);
            }
        } catch (IOException | RuntimeException e) {
            // A broken connection ends like a closed one.
        } finally {
            channel.close();
            if (listener != null) {
                listener.onClosed();
            }
            Thread.currentThread().setName(idleName);
        }
    }

    @Override
    public void close() {
        closed = true;
        readers.shutdown();
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Nothing listens any more either way.
        }
    }
}
