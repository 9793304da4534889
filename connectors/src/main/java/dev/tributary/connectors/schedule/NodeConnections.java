package dev.tributary.connectors.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;

/** Quartz's connections come from the node's pool, which outlives the scheduler: shutting down leaves it open. */
final class NodeConnections implements ConnectionProvider {

    private final DataSource dataSource;

    NodeConnections(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void initialize() {
    }

    @Override
    public void shutdown() {
    }
}
