package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CLI's side of the HTTP API: requests below {@code /api/v1} with the key, answers as text
 * plus parsed JSON, and every failure turned into one line a user can act on.
 */
final class ApiClient {

    private static final ObjectMapper MAPPER = JsonText.MAPPER;

    private final ServerConnection connection;
    private final Duration timeout;
    private final HttpClient http;

    ApiClient(ServerConnection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
        // HTTP/1.1: the server speaks nothing else in clear text, so skip the h2c upgrade attempt.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** An answer in the 2xx range. */
    record Response(int status, String body) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new CliFailure("the server answered with something that is not JSON: " + abbreviate(body));
            }
        }
    }

    /** A refusal from the server, with the envelope's code and details. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;
        private final transient List<JsonNode> details;
        private final String body;

        Refused(int status, String code, String message, List<JsonNode> details, String body) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.details = details;
            this.body = body;
        }

        int status() {
            return status;
        }

        String code() {
            return code;
        }

        List<JsonNode> details() {
            return details;
        }

        /** The raw answer, for {@code -o json}. */
        String body() {
            return body;
        }
    }

    Response get(String path) {
        return send(request(path, timeout).GET());
    }

    Response post(String path, String contentType, String body, Map<String, String> headers, Duration wait) {
        HttpRequest.Builder request = request(path, timeout.plus(wait))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return send(request);
    }

    Response post(String path, String contentType, String body) {
        return post(path, contentType, body, Map.of(), Duration.ZERO);
    }

    /** A body that is not text, e.g. {@code multipart/form-data}. */
    Response post(String path, String contentType, byte[] body) {
        return send(request(path, timeout).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Response put(String path, String contentType, String body) {
        return send(request(path, timeout).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    Response delete(String path) {
        return send(request(path, timeout).DELETE());
    }

    /** One path segment, escaped (names and ids are user input). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path, Duration requestTimeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(connection.root() + "/api/v1" + path))
                .timeout(requestTimeout)
                .header("Accept", "application/json");
        if (connection.apiKey() != null) {
            builder.header("Authorization", "Bearer " + connection.apiKey());
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new CliFailure("cannot reach the server at " + connection.root() + ": the connection timed out");
        } catch (HttpTimeoutException e) {
            throw new CliFailure("the server at " + connection.root() + " did not answer " + request.method() + " "
                    + request.uri().getPath() + " in time");
        } catch (ConnectException e) {
            throw new CliFailure("cannot reach the server at " + connection.root() + " (connection refused); is 'trib server' running?");
        } catch (IOException e) {
            throw new CliFailure("talking to the server at " + connection.root() + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted while waiting for the server");
        }
        if (response.statusCode() / 100 == 2) {
            return new Response(response.statusCode(), response.body());
        }
        throw refused(response);
    }

    private Refused refused(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode error;
        try {
            error = MAPPER.readTree(response.body()).path("error");
        } catch (IOException e) {
            error = MAPPER.missingNode();
        }
        if (!error.isObject()) {
            return new Refused(status, "", "the server answered HTTP " + status + ": " + abbreviate(response.body()), List.of(),
                    response.body());
        }
        String code = error.path("code").asText("");
        String message = error.path("message").asText("HTTP " + status);
        List<JsonNode> details = new ArrayList<>();
        error.path("details").forEach(details::add);
        if (status == 401) {
            message += connection.apiKey() == null
                    ? " (no key was sent: pass --api-key or set " + ServerConnection.KEY_ENV + ")"
                    : " (check --api-key or " + ServerConnection.KEY_ENV + ")";
        }
        return new Refused(status, code, message, details, response.body());
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
