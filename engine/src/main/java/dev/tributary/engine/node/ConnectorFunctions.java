package dev.tributary.engine.node;

import dev.tributary.connectors.EventPublisher;
import dev.tributary.connectors.functions.EventEmitFunction;
import dev.tributary.connectors.functions.HttpRequestFunction;
import dev.tributary.connectors.functions.TableFunctions;
import dev.tributary.connectors.queue.QueueSendFunction;
import dev.tributary.connectors.stream.StreamPutFunction;
import dev.tributary.engine.store.JdbcRunStore;
import dev.tributary.functions.FunctionRuntime;
import dev.tributary.functions.Functions;
import dev.tributary.functions.http.AddressPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The built-in connector functions of SPEC §6 on a node, by name, over the node's store. */
final class ConnectorFunctions {

    private ConnectorFunctions() {
    }

    /** Told the queue or stream a connector function wrote to, so consumers on this node look at once. */
    record Written(Consumer<String> queue, Consumer<String> stream) {

        static final Written NONE = new Written(q -> { }, s -> { });
    }

    /**
     * @param events  where {@code event.emit} publishes (the node's router)
     * @param written told of each successful {@code queue.send} and {@code stream.put}
     */
    static Map<String, FunctionRuntime> of(JdbcRunStore store, NodeConfig config, EventPublisher events, Written written) {
        Map<String, FunctionRuntime> connectors = new LinkedHashMap<>();
        connectors.putAll(new TableFunctions(store.tables(), config.clock()).byName());
        connectors.put(QueueSendFunction.NAME, new QueueSendFunction(store.queues(), config.clock(), written.queue()));
        connectors.put(StreamPutFunction.NAME, new StreamPutFunction(store.streams(), config.clock(), written.stream()));
        connectors.put(HttpRequestFunction.NAME, new HttpRequestFunction(config.clock(),
                AddressPolicy.of(config.functions().allowPrivateHttp()), Functions.DEFAULT_MAX_PAYLOAD_BYTES));
        connectors.put(EventEmitFunction.NAME, new EventEmitFunction(config.clock(), events));
        return connectors;
    }
}
