package dev.tributary.engine.node;

import java.util.Map;

/** What a hook answers: a status, headers and a body (JSON unless the function said otherwise). */
public record HookResponse(int status, Map<String, String> headers, byte[] body) {

    public HookResponse {
        headers = Map.copyOf(headers);
    }
}
