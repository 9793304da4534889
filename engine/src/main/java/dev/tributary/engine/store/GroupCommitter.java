package dev.tributary.engine.store;

import dev.tributary.engine.core.HistoryEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes run transitions and accepted events in groups: one thread takes everything queued (up to
 * {@link #MAX_BATCH}), writes it in one transaction with JDBC batches, commits once, then completes
 * each caller's future. Throughput comes from sharing the commit (and its fsync), not from skipping
 * it. If a group fails — a compare-and-set miss, a duplicate — it is rolled back and its items are
 * written one by one, so only the culprit fails.
 */
final class GroupCommitter implements AutoCloseable {

    static final int MAX_BATCH = 256;
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    private sealed interface Item permits CommitItem, EventItem {
        CompletableFuture<?> future();
    }

    private record CommitItem(RunCommit commit, CompletableFuture<Void> future) implements Item {
    }

    private record EventItem(InboxEvent event, CompletableFuture<Boolean> future) implements Item {
    }

    private final Database db;
    private final Executor completions;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;

    GroupCommitter(Database db, Executor completions) {
        this.db = db;
        this.completions = completions;
        this.thread = new Thread(this::loop, "tributary-group-commit");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    CompletableFuture<Void> commit(RunCommit commit) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        enqueue(new CommitItem(commit, f));
        return f;
    }

    CompletableFuture<Boolean> accept(InboxEvent event) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        enqueue(new EventItem(event, f));
        return f;
    }

    private void enqueue(Item item) {
        if (closing) {
            item.future().completeExceptionally(new StoreException("Expected an open store, but it is closing", null));
            return;
        }
        queue.add(item);
    }

    private void loop() {
        List<Item> batch = new ArrayList<>(MAX_BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                Item first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("group commit failed", e);
                batch.forEach(i -> fail(i, e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Item> batch) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            List<Object> results;
            try {
                results = writeAll(c, batch);
                c.commit();
            } catch (SQLException | BatchConflict e) {
                c.rollback();
                if (batch.size() == 1) {
                    fail(batch.get(0), translate(batch.get(0), e));
                    return;
                }
                for (Item item : batch) {
                    write(List.of(item));
                }
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                complete(batch.get(i), results.get(i));
            }
        } catch (SQLException e) {
            StoreException failure = new StoreException("Expected to commit " + batch.size() + " changes, but " + e.getMessage(), e);
            batch.forEach(i -> fail(i, failure));
        }
    }

    /** Writes every item of the group; the result per item is null (a commit) or whether the event was new. */
    private List<Object> writeAll(Connection c, List<Item> batch) throws SQLException, BatchConflict {
        List<RunCommit> inserts = new ArrayList<>();
        List<RunCommit> updates = new ArrayList<>();
        try (PreparedStatement insertRun = c.prepareStatement(Sql.INSERT_RUN);
             PreparedStatement updateRun = c.prepareStatement(Sql.UPDATE_RUN);
             PreparedStatement insertEvent = c.prepareStatement(Sql.INSERT_HISTORY);
             PreparedStatement insertTask = c.prepareStatement(Sql.INSERT_TASK);
             PreparedStatement deleteTask = c.prepareStatement(Sql.DELETE_TASK);
             PreparedStatement acceptEvent = c.prepareStatement(Sql.ACCEPT_EVENT)) {
            boolean anyEvents = false;
            for (Item item : batch) {
                if (item instanceof CommitItem ci) {
                    RunCommit rc = ci.commit();
                    if (rc.createsRun()) {
                        Sql.bindInsertRun(insertRun, rc.run());
                        insertRun.addBatch();
                        inserts.add(rc);
                    } else {
                        Sql.bindUpdateRun(updateRun, rc.run(), rc.expectedVersion());
                        updateRun.addBatch();
                        updates.add(rc);
                    }
                    for (HistoryEvent e : rc.events()) {
                        Sql.bindHistory(insertEvent, rc.run().id(), e);
                        insertEvent.addBatch();
                    }
                    for (Task t : rc.newTasks()) {
                        Sql.bindTask(insertTask, t);
                        insertTask.addBatch();
                    }
                    for (String id : rc.finishedTasks()) {
                        deleteTask.setString(1, rc.run().id());
                        deleteTask.setString(2, id);
                        deleteTask.addBatch();
                    }
                } else {
                    Sql.bindAcceptEvent(acceptEvent, ((EventItem) item).event());
                    acceptEvent.addBatch();
                    anyEvents = true;
                }
            }
            // Order matters within a group: a run is inserted before a later commit updates it,
            // and a task is inserted before a later commit of the same run deletes it.
            if (!inserts.isEmpty()) {
                insertRun.executeBatch();
            }
            if (!updates.isEmpty()) {
                int[] counts = updateRun.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) {
                        throw new BatchConflict();
                    }
                }
            }
            insertEvent.executeBatch();
            insertTask.executeBatch();
            deleteTask.executeBatch();
            int[] accepted = anyEvents ? acceptEvent.executeBatch() : new int[0];
            List<Object> results = new ArrayList<>(batch.size());
            int e = 0;
            for (Item item : batch) {
                results.add(item instanceof EventItem ? (Object) (accepted[e++] != 0) : null);
            }
            return results;
        }
    }

    private Throwable translate(Item item, Exception e) {
        if (item instanceof CommitItem ci) {
            RunCommit rc = ci.commit();
            if (e instanceof BatchConflict) {
                return new ConcurrentUpdateException("Expected run '" + rc.run().id() + "' at version " + rc.expectedVersion()
                        + ", but another writer changed it first");
            }
            if (e instanceof SQLException sql && Columns.isUniqueViolation(sql) && rc.createsRun()) {
                String existing = rc.run().idempotencyKey() == null ? null : Sql.runIdForKey(db, rc.run().workflow(), rc.run().idempotencyKey());
                if (existing != null && !existing.equals(rc.run().id())) {
                    return new DuplicateRunException(existing);
                }
                return new ConcurrentUpdateException("Expected to create run '" + rc.run().id() + "', but it exists");
            }
            return new StoreException("Expected to commit a transition of run '" + rc.run().id() + "', but " + e.getMessage(), e);
        }
        return new StoreException("Expected to accept event '" + ((EventItem) item).event().id() + "', but " + e.getMessage(), e);
    }

    @SuppressWarnings("unchecked")
    private void complete(Item item, Object result) {
        completions.execute(() -> ((CompletableFuture<Object>) item.future()).complete(result));
    }

    private void fail(Item item, Throwable e) {
        completions.execute(() -> item.future().completeExceptionally(e));
    }

    @Override
    public void close() {
        closing = true;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A compare-and-set inside a group missed. */
    private static final class BatchConflict extends Exception {
        private static final long serialVersionUID = 1L;

        BatchConflict() {
            super(null, null, false, false);
        }
    }
}
