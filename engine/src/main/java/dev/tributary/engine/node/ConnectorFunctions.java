package dev.tributary.engine.node;

import dev.tributary.connectors.EventPublisher;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.functions.FunctionRuntime;
import java.util.LinkedHashMap;
import java.util.Map;

/** The built-in connector functions of SPEC §6 on a node, by name, over the node's store. */
final class ConnectorFunctions {

    private ConnectorFunctions() {
    }

    /** @param events where {@code event.emit} publishes (the node's router) */
    static Map<String, FunctionRuntime> of(JdbcRunStore store, NodeConfig config, EventPublisher events) {
        Map<String, FunctionRuntime> connectors = new LinkedHashMap<>();
        return connectors;
    }
}
