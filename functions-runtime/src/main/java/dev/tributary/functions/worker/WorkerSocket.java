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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Unix domain socket workers and zygotes connect to. Each connection is read by one pooled
 * thread at a time; its first line must be a hello carrying a token the server expects, else it is
 * closed.
 *
 * <p>An answer completes its caller's future on the thread that read it, which spares a thread
 * hand-off (~10-20 µs here) per activation; reading is paused meanwhile. Nothing is missed: a
 * worker sends nothing unasked but its answers, and every send first moves a paused reading on to
 * another pooled thread. So a caller's continuation neither delays the reading of its worker's next
 * answer nor deadlocks waiting for it. Only a worker's death while idle is noticed late: once that
 * continuation returns, or at the next send.
 */
final class WorkerSocket implements AutoCloseable {

    /** Told when a process with an expected token has connected; returns who reads its later messages. */
    @FunctionalInterface
    interface Connected {
        MessageListener connected(LineChannel channel, JsonNode hello);
    }

    interface MessageListener {
        /**
         * Handles a message on the reading thread; for an answer, returns what it completes instead,
         * which then runs with reading paused (callers' code runs there: see the class comment).
         */
        Runnable onMessage(JsonNode message);

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
        Reader reader = null;
        try {
            JsonNode hello = channel.read();
            Connected connected = hello == null ? null : expected.remove(hello.path("hello").asText(""));
            if (connected != null) {
                reader = new Reader(channel, threadPrefix + "-" + hello.path("pid").asLong());
                channel.beforeSend(reader::resume);
                reader.listener = connected.connected(channel, hello);
            }
        } catch (IOException | RuntimeException e) {
            reader = null; // a broken connection ends like a closed one
        }
        if (reader == null || reader.listener == null) {
            channel.close();
            return;
        }
        reader.run();
    }

    /** Reads one connection's messages, on one pooled thread at a time (see the class comment). */
    private final class Reader implements Runnable {

        private final LineChannel channel;
        private final String threadName;
        /** Set before the first read, by the thread that then runs the first read loop. */
        private MessageListener listener;
        /** The thread running an answer's completion with reading paused; null while a thread reads. */
        private final AtomicReference<Thread> paused = new AtomicReference<>();

        Reader(LineChannel channel, String threadName) {
            this.channel = channel;
            this.threadName = threadName;
        }

        @Override
        public void run() {
            Thread self = Thread.currentThread();
            String idleName = self.getName();
            self.setName(threadName);
            boolean reading = true;
            try {
                for (JsonNode message = channel.read(); message != null; message = channel.read()) {
                    Runnable completion = listener.onMessage(message);
                    if (completion != null) {
                        paused.set(self);
                        try {
                            completion.run();
                        } finally {
                            reading = paused.compareAndSet(self, null); // false: a send moved reading on
                        }
                        if (!reading) {
                            return;
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // A broken connection ends like a closed one.
            } finally {
                if (reading) {
                    channel.close();
                    listener.onClosed();
                }
                self.setName(idleName);
            }
        }

        /** Before each send: the answer may come while a completion still runs, so another thread reads it. */
        void resume() {
            Thread pausedOn = paused.get();
            if (pausedOn == null || !paused.compareAndSet(pausedOn, null)) {
                return;
            }
            try {
                readers.execute(this);
            } catch (RejectedExecutionException e) {
                channel.close(); // the socket is closing: the connection ends like a closed one
                listener.onClosed();
            }
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
