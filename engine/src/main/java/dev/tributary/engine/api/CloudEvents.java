package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a CloudEvent 1.0 from an HTTP request (CloudEvents HTTP binding) into its structured
 * JSON form, the one shape the engine accepts. Structured mode: the body is the event
 * ({@code application/cloudevents+json}, or {@code application/json} with the attributes).
 * Binary mode: the attributes are {@code ce-*} headers and the body is the event's data.
 */
final class CloudEvents {

    static final List<String> REQUIRED = List.of("specversion", "id", "source", "type");
    private static final String HEADER_PREFIX = "ce-";

    private final JsonBodies json;

    CloudEvents(JsonBodies json) {
        this.json = json;
    }

    ObjectNode read(HttpServerRequest request, Buffer body) {
        String type = MediaTypes.of(request);
        if (type.equals(MediaTypes.CLOUDEVENTS_BATCH)) {
            throw ApiError.unsupportedMediaType("Batched CloudEvents are not supported; send one event per request");
        }
        ObjectNode event;
        if (type.equals(MediaTypes.CLOUDEVENTS_JSON)) {
            event = structured(body);
        } else if (request.headers().contains("ce-specversion")) {
            event = binary(request.headers(), type, body);
        } else if (type.isEmpty() || MediaTypes.isJson(type)) {
            event = structured(body);
        } else {
            throw ApiError.unsupportedMediaType("Expected a CloudEvent, either structured (Content-Type "
                    + MediaTypes.CLOUDEVENTS_JSON + ") or binary (ce-specversion, ce-id, ce-source and ce-type headers), "
                    + "but got Content-Type " + type + " without ce-* headers");
        }
        check(event);
        return event;
    }

    private ObjectNode structured(Buffer body) {
        JsonNode node = json.parse(body, "the CloudEvent");
        if (!node.isObject()) {
            throw ApiError.badRequest("Expected the CloudEvent to be a JSON object, but it is " + node.getNodeType()
                    .name().toLowerCase(Locale.ROOT));
        }
        return (ObjectNode) node;
    }

    private ObjectNode binary(MultiMap headers, String mediaType, Buffer body) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(HEADER_PREFIX) && name.length() > HEADER_PREFIX.length()) {
                event.put(name.substring(HEADER_PREFIX.length()), percentDecode(header.getValue()));
            }
        }
        if (!mediaType.isEmpty()) {
            event.put("datacontenttype", headers.get("Content-Type").trim());
        }
        if (body.length() > 0) {
            if (mediaType.isEmpty() || MediaTypes.isJson(mediaType)) {
                event.set("data", json.parse(body, "the event data"));
            } else if (MediaTypes.isText(mediaType)) {
                event.put("data", JsonBodies.utf8(body, "the event data"));
            } else {
                event.put("data_base64", Base64.getEncoder().encodeToString(body.getBytes()));
            }
        }
        return event;
    }

    private static void check(ObjectNode event) {
        List<String> missing = new ArrayList<>();
        for (String attribute : REQUIRED) {
            JsonNode value = event.get(attribute);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                missing.add(attribute);
            }
        }
        if (!missing.isEmpty()) {
            List<JsonNode> details = missing.stream()
                    .<JsonNode>map(a -> JsonNodeFactory.instance.objectNode().put("attribute", a)
                            .put("message", "required; a non-empty string"))
                    .toList();
            throw ApiError.badRequest("The CloudEvent lacks required attributes: " + String.join(", ", missing)
                    + " (binary mode: ce-" + String.join(", ce-", missing) + " headers)", details);
        }
        if (!event.get("specversion").asText().equals("1.0")) {
            throw ApiError.badRequest("Expected CloudEvents specversion 1.0, but the event has '"
                    + event.get("specversion").asText() + "'");
        }
        JsonNode time = event.get("time");
        if (time != null && !time.isNull()) {
            try {
                OffsetDateTime.parse(time.asText());
            } catch (DateTimeParseException e) {
                throw ApiError.badRequest("Expected the CloudEvent's time to be an RFC 3339 timestamp (2026-01-31T12:00:00Z), but it is '"
                        + time.asText() + "'");
            }
        }
        if (event.has("data") && event.has("data_base64")) {
            throw ApiError.badRequest("A CloudEvent holds either data or data_base64, but this one has both");
        }
    }

    /** The HTTP binding percent-encodes header values outside printable ASCII; '+' stays '+'. */
    static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            int high = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
            int low = i + 2 < value.length() ? Character.digit(value.charAt(i + 2), 16) : -1;
            if (c == '%' && high >= 0 && low >= 0) {
                bytes.write(high * 16 + low);
                i += 3;
            } else {
                int codePoint = value.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
