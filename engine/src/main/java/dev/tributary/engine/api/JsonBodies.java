package dev.tributary.engine.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads request bodies as JSON or UTF-8 text within the SPEC §4 limits. The size limit was
 * enforced while the body arrived ({@link BodyReader}); the nesting limit is enforced here by the
 * parser itself, so a hostile document is refused before a deep tree is built.
 */
final class JsonBodies {

    private final ObjectMapper mapper;
    private final int maxDepth;

    JsonBodies(int maxDepth, long maxLength) {
        this.maxDepth = maxDepth;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxDocumentLength(maxLength)
                        .build())
                // A repeated key would silently drop one of the values the caller sent.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Keep the caller's decimals exactly as sent; they are user data passed through.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }

    /** The body as JSON; {@code what} names it in errors ("the run input"). An empty body is an error. */
    JsonNode parse(Buffer body, String what) {
        if (body.length() == 0) {
            throw ApiError.badRequest("Expected " + what + " as JSON in the request body, but the body is empty");
        }
        try {
            JsonNode node = mapper.readTree(body.getBytes());
            if (node == null || node.isMissingNode()) {
                throw ApiError.badRequest("Expected " + what + " as JSON in the request body, but it holds no JSON value");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw tooDeepOrLong(e, what);
        } catch (JsonProcessingException e) {
            throw malformed(e, what);
        } catch (IOException e) {
            throw ApiError.badRequest("Expected " + what + " as JSON, but it could not be read: " + e.getMessage());
        }
    }

    /** Like {@link #parse}, but an empty body means {@code {}} (a run started without input). */
    JsonNode parseOrEmptyObject(Buffer body, String what) {
        return isBlank(body) ? JsonNodeFactory.instance.objectNode() : parse(body, what);
    }

    /** The body as text; it must be UTF-8 (definitions and JSON are). */
    static String utf8(Buffer body, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body.getBytes()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("Expected " + what + " as UTF-8 text, but the body holds bytes that are not UTF-8");
        }
    }

    private static boolean isBlank(Buffer body) {
        for (int i = 0; i < body.length(); i++) {
            byte b = body.getByte(i);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private ApiError tooDeepOrLong(StreamConstraintsException e, String what) {
        String message = e.getOriginalMessage();
        if (message != null && message.contains("nesting depth")) {
            ObjectNode detail = JsonNodeFactory.instance.objectNode().put("limit", "json nesting depth").put("max", maxDepth);
            return ApiError.badRequest("Expected " + what + " to nest at most " + maxDepth
                    + " levels deep (JSON nesting depth limit), but it nests deeper", List.of(detail));
        }
        return ApiError.badRequest("Expected " + what + " within the parser's limits, but " + message);
    }

    private static ApiError malformed(JsonProcessingException e, String what) {
        JsonLocation at = e.getLocation();
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        String where = "";
        if (at != null && at.getLineNr() > 0) {
            detail.put("line", at.getLineNr()).put("column", at.getColumnNr());
            where = " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        }
        String reason = describe(e.getOriginalMessage());
        detail.put("message", reason);
        return ApiError.badRequest("Expected " + what + " to be valid JSON, but it is malformed" + where + ": " + reason,
                List.of(detail));
    }

    private static String describe(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        if (message.startsWith("Trailing token")) {
            // Jackson's wording names its own classes and features; say what the caller can fix.
            return "there is more content after the first JSON value";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
