package dev.tributary.engine.node;

import java.util.List;
import java.util.Map;

/**
 * A request to {@code /hooks/...} as the HTTP layer read it.
 *
 * @param path      below {@code /hooks/}: an http trigger's path, or {@code github/<trigger>}
 * @param headers   names in lower case, the first value of each
 * @param adminKey  whether the request carried the node's API key (in {@code X-Tributary-Key})
 */
public record HookRequest(String method, String path, Map<String, String> headers, Map<String, List<String>> query,
                          byte[] body, boolean adminKey) {

    public HookRequest {
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
    }

    String header(String name) {
        return headers.get(name);
    }
}
