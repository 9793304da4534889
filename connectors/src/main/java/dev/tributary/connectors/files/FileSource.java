package dev.tributary.connectors.files;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.Delivery;
import dev.tributary.connectors.EventSink;
import dev.tributary.dsl.model.TriggerSource;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code files} trigger (SPEC §2.5): fires {@code tributary.file.created|modified|deleted} for
 * the files directly in a directory whose names match a glob (subdirectories are not watched).
 *
 * <p>Every look at the directory lists it whole and compares it with the known state
 * ({@link KnownFiles}); a {@link WatchService} only says when to look soon, and a periodic rescan
 * catches what it misses or overflows on. A change fires once the file has stayed the same for the
 * debounce window. The known state is recorded in {@link SeenFiles} after the sink accepted the
 * change's event, so a restart fires what changed while the source was down and nothing else, and
 * an event the sink refused fires again later. A missing directory is reported once and looked for
 * at every rescan; it is not taken for an empty one (no deletions fire for it).
 *
 * <p>All decisions happen on one thread of the source's own; the watch service waits on a second.
 */
public final class FileSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);

    /** How long a file must stay unchanged before its change fires, unless configured. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(500);
    /** How often the directory is listed whatever the watch service says, unless configured. */
    public static final Duration DEFAULT_RESCAN = Duration.ofSeconds(5);

    private final String trigger;
    private final TriggerSource.Files spec;
    private final EventSink sink;
    private final SeenFiles seenFiles;
    private final Duration rescanEvery;
    private final Clock clock;
    private final DirectoryListing listing;
    private final KnownFiles known;
    private final ScheduledThreadPoolExecutor decisions;
    private final Executor afterHandOver;
    private final AtomicBoolean scanQueued = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;

    // touched only on the decisions thread
    private boolean loaded;
    private boolean directoryMissing;
    private WatchService watchService;
    private WatchKey watchKey;
    private ScheduledFuture<?> settleCheck;

    private FileSource(Builder builder) {
        this.trigger = builder.trigger;
        this.spec = builder.spec;
        this.sink = builder.sink;
        this.seenFiles = builder.seenFiles;
        this.rescanEvery = builder.rescanEvery;
        this.clock = builder.clock;
        this.listing = new DirectoryListing(Path.of(spec.dir()).toAbsolutePath().normalize(), spec.glob());
        this.known = new KnownFiles(builder.debounce);
        this.decisions = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "files-" + trigger);
            thread.setDaemon(true);
            return thread;
        });
        decisions.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        decisions.setRemoveOnCancelPolicy(true);
        this.afterHandOver = task -> {
            try {
                decisions.execute(task);
            } catch (RejectedExecutionException e) {
                // closed: the change stays unrecorded; after a restart it fires again with the same id, a duplicate the inbox drops
            }
        };
    }

    /**
     * @param trigger the trigger's name: it names the events and keys the trigger's {@link SeenFiles}
     * @param spec    the trigger's {@code files:} source
     */
    public static Builder builder(String trigger, TriggerSource.Files spec, EventSink sink, SeenFiles seenFiles) {
        return new Builder(trigger, spec, sink, seenFiles);
    }

    /** Starts watching: loads the seen files, looks at the directory at once and then as configured. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("Expected to start the files trigger '" + trigger + "' once, but it was started before");
        }
        decisions.execute(this::openWatchService);
        decisions.execute(this::scan);
        decisions.scheduleWithFixedDelay(this::scan, rescanEvery.toNanos(), rescanEvery.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops watching; waits a few seconds at most for a look at the directory in progress to end. */
    @Override
    public void close() {
        closed = true;
        decisions.shutdown();
        try {
            if (!decisions.awaitTermination(5, TimeUnit.SECONDS)) {
                decisions.shutdownNow();
            }
        } catch (InterruptedException e) {
            decisions.shutdownNow();
            Thread.currentThread().interrupt();
        }
        closeWatchService(); // after the decisions thread, which registers the directory with it
    }

    /** The directory watched, absolute. */
    public Path directory() {
        return listing.dir();
    }

    private void openWatchService() {
        try {
            WatchService service = FileSystems.getDefault().newWatchService();
            watchService = service;
            Thread waiter = new Thread(() -> awaitWatchEvents(service), "files-" + trigger + "-watch");
            waiter.setDaemon(true);
            waiter.start();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Expected to watch directory {} for files trigger '{}', but {}; looking at it every {} instead",
                    listing.dir(), trigger, e.getMessage(), rescanEvery);
        }
    }

    private void awaitWatchEvents(WatchService service) {
        while (!closed) {
            WatchKey key;
            try {
                key = service.take();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
            key.pollEvents(); // which files and how does not matter: the listing decides
            key.reset();
            requestScan();
        }
    }

    private void requestScan() {
        if (scanQueued.compareAndSet(false, true)) {
            try {
                decisions.execute(this::scan);
            } catch (RejectedExecutionException e) {
                // closed
            }
        }
    }

    /** One look at the directory; never throws, or the periodic rescans would stop. */
    private void scan() {
        scanQueued.set(false);
        if (closed) {
            return;
        }
        try {
            if (!loaded && !loadSeenFiles()) {
                return;
            }
            Optional<Map<String, FileState>> files = listing.list();
            if (files.isEmpty()) {
                reportMissingDirectory();
                return;
            }
            if (directoryMissing) {
                directoryMissing = false;
                LOG.info("Directory {} of files trigger '{}' exists now; watching it", listing.dir(), trigger);
            }
            watchDirectory();
            known.observe(files.get(), System.nanoTime()).forEach(this::handOver);
            scheduleSettleCheck();
        } catch (IOException e) {
            LOG.warn("Expected to list directory {} for files trigger '{}', but {}; trying again in {}",
                    listing.dir(), trigger, e.getMessage(), rescanEvery);
        } catch (RuntimeException e) {
            LOG.error("Expected to look for file changes in {} for files trigger '{}', but failed; trying again in {}",
                    listing.dir(), trigger, rescanEvery, e);
        }
    }

    private boolean loadSeenFiles() {
        try {
            known.load(seenFiles.load(trigger));
            loaded = true;
        } catch (RuntimeException e) {
            LOG.warn("Expected to load the files seen by files trigger '{}', but {}; trying again in {}",
                    trigger, e.getMessage(), rescanEvery);
        }
        return loaded;
    }

    private void reportMissingDirectory() {
        if (!directoryMissing) {
            directoryMissing = true;
            LOG.warn("Expected directory {} for files trigger '{}', but it does not exist or is not a directory; "
                    + "looking for it every {}", listing.dir(), trigger, rescanEvery);
        }
    }

    private void watchDirectory() {
        if (watchService == null || (watchKey != null && watchKey.isValid())) {
            return;
        }
        try {
            watchKey = listing.dir().register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.debug("Could not watch {} for files trigger '{}' ({}); relying on rescans", listing.dir(), trigger,
                    e.getMessage());
        }
    }

    private void scheduleSettleCheck() {
        OptionalLong settles = known.nextSettleNanos();
        if (settles.isEmpty()) {
            return;
        }
        long delay = Math.max(0, settles.getAsLong() - System.nanoTime());
        if (settleCheck != null && !settleCheck.isDone()) {
            if (settleCheck.getDelay(TimeUnit.NANOSECONDS) <= delay) {
                return;
            }
            settleCheck.cancel(false);
        }
        settleCheck = decisions.schedule(this::scan, delay, TimeUnit.NANOSECONDS);
    }

    private void handOver(FileChange change) {
        if (!spec.events().contains(change.kind())) {
            remember(change); // not fired, but known: a later change is decided against it
            return;
        }
        ObjectNode event = FileEvents.of(trigger, listing.dir(), change, clock.instant());
        CompletableFuture<Delivery> accepted;
        try {
            accepted = sink.accept(event);
        } catch (RuntimeException e) {
            accepted = CompletableFuture.failedFuture(e);
        }
        accepted.whenCompleteAsync((delivery, failure) -> {
            if (failure == null) {
                remember(change);
            } else {
                known.notHandedOver(change);
                LOG.warn("Expected the event router to accept event {} of files trigger '{}', but {}; it fires again later",
                        event.get("id").asText(), trigger, failure.getMessage());
            }
        }, afterHandOver);
    }

    private void remember(FileChange change) {
        known.handedOver(change);
        try {
            if (change.after() == null) {
                seenFiles.forget(trigger, change.path());
            } else {
                seenFiles.record(trigger, change.after());
            }
        } catch (RuntimeException e) {
            // known here until a restart, which fires the change again with the same id: a duplicate the inbox drops
            LOG.warn("Expected to record file {} as seen by files trigger '{}', but {}", change.path(), trigger, e.getMessage());
        }
    }

    private void closeWatchService() {
        try {
            if (watchService != null) {
                watchService.close();
            }
        } catch (IOException e) {
            LOG.debug("Closing the watch service of files trigger '{}' failed: {}", trigger, e.getMessage());
        }
    }

    /** How a {@link FileSource} is made; only the intervals and the clock are optional. */
    public static final class Builder {

        private final String trigger;
        private final TriggerSource.Files spec;
        private final EventSink sink;
        private final SeenFiles seenFiles;
        private Duration debounce = DEFAULT_DEBOUNCE;
        private Duration rescanEvery = DEFAULT_RESCAN;
        private Clock clock = Clock.systemUTC();

        private Builder(String trigger, TriggerSource.Files spec, EventSink sink, SeenFiles seenFiles) {
            this.trigger = Objects.requireNonNull(trigger, "trigger");
            this.spec = Objects.requireNonNull(spec, "spec");
            this.sink = Objects.requireNonNull(sink, "sink");
            this.seenFiles = Objects.requireNonNull(seenFiles, "seenFiles");
        }

        /** How long a file must stay the same (size and last-modified time) before its change fires. */
        public Builder debounce(Duration debounce) {
            if (debounce.isNegative()) {
                throw new IllegalArgumentException("Expected a debounce window of 0 or more, but got " + debounce);
            }
            this.debounce = debounce;
            return this;
        }

        /** How often the whole directory is listed, whatever the watch service reports. */
        public Builder rescanEvery(Duration rescanEvery) {
            if (rescanEvery.isNegative() || rescanEvery.isZero()) {
                throw new IllegalArgumentException("Expected a rescan interval above 0, but got " + rescanEvery);
            }
            this.rescanEvery = rescanEvery;
            return this;
        }

        /** Stamps deletion events (a created or modified file's event carries its last-modified time). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public FileSource build() {
            return new FileSource(this);
        }
    }
}
