package dev.tributary.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread takes everything queued (up to {@link #MAX_GROUP} writes), writes it in
 * one transaction and commits once, then completes each caller's future. Throughput comes from
 * sharing the commit (and its fsync) among writers, not from skipping it. A group that fails — a
 * version mismatch, a taken key, any database error — is rolled back and its writes are tried
 * one by one, so only the culprit fails.
 *
 * <p>Futures complete on a separate pool, never on the committer thread: callers chain work on
 * them (even work that waits for another commit), and that must not stall or deadlock the
 * committer. Within a group they complete in queue order; a run's later commit may be seen to
 * complete before its earlier one only when both were in flight at once, and then both are durable.
 */
final class GroupCommitter implements AutoCloseable {

    static final int MAX_GROUP = 256;
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    private final Database db;
    private final GroupWriter writer = new GroupWriter();
    private final BlockingQueue<PendingWrite> queue = new LinkedBlockingQueue<>();
    private final ExecutorService completions;
    private final Thread thread;
    private boolean closing; // guarded by this: nothing is queued once it is set
    /** A commit held back for the next group because its run already has one in the current group (committer thread only). */
    private PendingWrite carried;

    GroupCommitter(Database db) {
        this.db = db;
        AtomicInteger n = new AtomicInteger();
        this.completions = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tributary-store-completion-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "tributary-group-commit");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void submit(PendingWrite write) {
        synchronized (this) {
            if (!closing) {
                queue.add(write);
                return;
            }
        }
        write.fail(new IllegalStateException("Expected an open store, but it is closed"));
    }

    private void run() {
        List<PendingWrite> group = new ArrayList<>(MAX_GROUP);
        while (true) {
            PendingWrite first;
            try {
                first = carried != null ? carried : queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            carried = null;
            if (first == null) {
                if (isDrained()) {
                    return;
                }
                continue;
            }
            collect(first, group);
            try {
                List<Runnable> outcomes = write(group);
                completions.execute(() -> outcomes.forEach(Runnable::run));
            } catch (RuntimeException e) {
                // a bug, not a database failure: fail this group and keep the committer alive for the next
                LOG.error("Expected to commit a group of {} writes, but the committer failed", group.size(), e);
                List<PendingWrite> failed = List.copyOf(group);
                completions.execute(() -> failed.forEach(w -> w.fail(e)));
            }
            group.clear();
        }
    }

    private synchronized boolean isDrained() {
        return closing && queue.isEmpty();
    }

    /** Fills the group in queue order, stopping before a second commit of the same run. */
    private void collect(PendingWrite first, List<PendingWrite> group) {
        Set<String> runs = new HashSet<>();
        PendingWrite next = first;
        while (next != null) {
            if (next instanceof PendingWrite.Commit commit && !runs.add(commit.runId())) {
                carried = next;
                return;
            }
            group.add(next);
            next = group.size() < MAX_GROUP ? queue.poll() : null;
        }
    }

    /** Writes the group and returns how to complete each write's future, in order. */
    private List<Runnable> write(List<PendingWrite> group) {
        List<Runnable> outcomes = new ArrayList<>(group.size());
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            if (group.size() > 1 && writeTogether(c, group, outcomes)) {
                return outcomes;
            }
            for (PendingWrite w : group) {
                outcomes.add(writeAlone(c, w));
            }
        } catch (SQLException e) {
            LOG.warn("Expected to commit a group of {} writes, but the connection failed", group.size(), e);
            StoreException failure = new StoreException("Expected to commit, but the database connection failed: " + Columns.reason(e), e);
            for (int i = outcomes.size(); i < group.size(); i++) {
                PendingWrite w = group.get(i);
                outcomes.add(() -> w.fail(failure));
            }
        }
        return outcomes;
    }

    private boolean writeTogether(Connection c, List<PendingWrite> group, List<Runnable> outcomes) throws SQLException {
        List<Object> results;
        try {
            results = writer.write(c, group);
            c.commit();
        } catch (SQLException | GroupWriter.VersionMismatch | RuntimeException e) {
            if (LOG.isDebugEnabled()) {
                String reason = e instanceof SQLException sql ? Columns.reason(sql) : e.getClass().getSimpleName();
                LOG.debug("A group of {} writes failed ({}); writing them one by one", group.size(), reason);
            }
            c.rollback();
            return false;
        }
        for (int i = 0; i < group.size(); i++) {
            PendingWrite w = group.get(i);
            Object result = results.get(i);
            outcomes.add(() -> w.complete(result));
        }
        return true;
    }

    private Runnable writeAlone(Connection c, PendingWrite w) throws SQLException {
        try {
            Object result = writer.write(c, List.of(w)).get(0);
            c.commit();
            return () -> w.complete(result);
        } catch (RuntimeException e) {
            c.rollback();
            return () -> w.fail(e); // a value that cannot be written, e.g. JSON that cannot become text
        } catch (SQLException | GroupWriter.VersionMismatch e) {
            c.rollback();
            if (w instanceof PendingWrite.Event && e instanceof SQLException sql && Columns.isUniqueViolation(sql)) {
                return () -> w.complete(false); // another node accepted the same event at the same moment
            }
            if (w instanceof PendingWrite.Commit commit) {
                RuntimeException failure = writer.explain(c, commit.commit(), e);
                c.rollback();
                return () -> w.fail(failure);
            }
            String reason = e instanceof SQLException sql ? Columns.reason(sql) : e.getMessage();
            String what = w instanceof PendingWrite.Event event ? "accept event '" + event.event().id() + "'"
                    : "mark event '" + ((PendingWrite.Routed) w).eventId() + "' routed";
            StoreException failure = new StoreException("Expected to " + what + ", but " + reason, e);
            return () -> w.fail(failure);
        }
    }

    /** Stops taking writes, writes what is queued, and waits for the callers' futures to complete. */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        try {
            thread.join();
            completions.shutdown();
            completions.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<PendingWrite> left = new ArrayList<>();
        queue.drainTo(left); // only if the committer thread was interrupted
        left.forEach(w -> w.fail(new IllegalStateException("Expected an open store, but it closed before this write")));
    }
}
