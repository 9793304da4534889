package dev.tributary.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 file from growing without bound. With {@code WRITE_DELAY=0} every
 * transaction writes a new chunk to the file and H2 runs no background housekeeping, so under
 * sustained load the file fills with chunks that are mostly garbage (gigabytes within a minute).
 * Once a second this rewrites the live pages of sparse chunks so the space of dead ones is
 * reused. Uses H2's MVStore API: there is no SQL for online compaction.
 */
final class H2Compaction implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);
    /** Chunks less full than this are rewritten. */
    private static final int TARGET_FILL_RATE = 50;
    /** At most this many bytes rewritten per round, so a round stays short. */
    private static final int BYTES_PER_ROUND = 4 << 20;

    private final MVStore store;
    private final Connection pinned;
    private final ScheduledExecutorService timer;

    private H2Compaction(MVStore store, Connection pinned) {
        this.store = store;
        this.pinned = pinned;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-h2-compaction");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::round, 1, 1, TimeUnit.SECONDS);
    }

    /** Starts compacting the H2 database behind {@code db}; null for any other database. */
    static H2Compaction startFor(Database db) {
        try {
            Connection c = db.connection();
            if (!c.isWrapperFor(JdbcConnection.class)) {
                c.close();
                return null;
            }
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            return new H2Compaction(session.getDatabase().getStore().getMvStore(), c);
        } catch (SQLException | ClassCastException e) {
            LOG.warn("H2 file compaction is off: {}", e.toString());
            return null;
        }
    }

    private void round() {
        try {
            if (store.getFillRate() < TARGET_FILL_RATE) {
                store.compact(TARGET_FILL_RATE, BYTES_PER_ROUND);
            }
        } catch (RuntimeException e) {
            LOG.debug("H2 compaction round failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            pinned.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            LOG.debug("closing the compaction connection: {}", e.toString());
        }
    }
}
