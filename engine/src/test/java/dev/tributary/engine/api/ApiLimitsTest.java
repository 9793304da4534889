package dev.tributary.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §4 on the wire: body size (declared and chunked), JSON nesting, malformed JSON. */
class ApiLimitsTest {

    private static final int LIMIT = 4096;

    private final FakeEngine engine = new FakeEngine().withWorkflow("hello");
    private final TestApi api = new TestApi(engine, ApiConfig.of("127.0.0.1", 0, TestApi.KEY).withBodyLimit(LIMIT));

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void refusesAHugeDeclaredBodyWithoutWaitingForIt() throws IOException {
        // when: ten gigabytes are announced and not one byte is sent
        RawResponse response = exchange(head("POST", "/api/v1/workflows/hello/runs", "Content-Length: 10000000000"));

        // then: answered at once, and the connection is closed since the body will never be read
        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        assertThat(response.body()).contains("\"limit_exceeded\"").contains(LIMIT + " bytes");
        assertThat(response.closed()).isTrue();
        assertThat(engine.startInputs).isEmpty();
    }

    @Test
    void stopsReadingAChunkedBodyOncePastTheLimit() throws IOException {
        // given: a chunked body whose chunks add up past the limit, never terminated
        String chunk = "x".repeat(1000);
        StringBuilder chunks = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            chunks.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }

        // when
        RawResponse response = exchange(head("POST", "/api/v1/events", "Transfer-Encoding: chunked") + chunks);

        // then
        assertThat(response.statusLine()).startsWith("HTTP/1.1 413");
        assertThat(response.body()).contains("\"limit_exceeded\"").contains(LIMIT + " bytes");
        assertThat(response.closed()).isTrue();
        assertThat(engine.published).isEmpty();
    }

    @Test
    void acceptsAChunkedBodyWithinTheLimit() {
        // given: no length, so the client streams it chunked
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofString("{\"n\": \"" + "y".repeat(LIMIT - 20) + "\"}"));

        // when
        HttpResponse<String> response = api.send(api.authorized("/workflows/hello/runs").POST(chunked));

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(engine.startInputs.get(0).get("n").asText()).hasSize(LIMIT - 20);
    }

    @Test
    void acceptsABodyOfExactlyTheLimitAndRefusesOneByteMore() throws IOException {
        String exact = "{\"n\":\"" + "z".repeat(LIMIT - 8) + "\"}";
        assertThat(exact).hasSize(LIMIT);

        assertThat(api.post("/workflows/hello/runs", exact).statusCode()).isEqualTo(202);
        RawResponse tooLong = exchange(head("POST", "/api/v1/workflows/hello/runs", "Content-Length: " + (LIMIT + 1)) + exact + " ");
        assertThat(tooLong.statusLine()).startsWith("HTTP/1.1 413");
    }

    @Test
    void invitesABodyThatFitsAndRefusesOneThatDoesNot() throws IOException {
        // given: curl's way of asking before it sends a large body
        try (Socket socket = new Socket("127.0.0.1", api.port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(head("POST", "/api/v1/workflows/hello/runs", "Content-Length: 7\r\nExpect: 100-continue")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // when
            String interim = readLine(socket.getInputStream());
            out.write("{\"a\":1}".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // then
            assertThat(interim).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(readUntilStatus(socket.getInputStream())).isEqualTo("HTTP/1.1 202 Accepted");
        }
        RawResponse refused = exchange(head("POST", "/api/v1/workflows/hello/runs",
                "Content-Length: " + (LIMIT + 1) + "\r\nExpect: 100-continue"));
        assertThat(refused.statusLine()).startsWith("HTTP/1.1 413");
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static String readUntilStatus(InputStream in) throws IOException {
        String line;
        do {
            line = readLine(in);
        } while (line.isEmpty());
        return line;
    }

    @Test
    void refusesJsonNestedDeeperThanTheLimit() {
        // given
        String deepest = "[".repeat(64) + "]".repeat(64);
        String tooDeep = "[".repeat(65) + "]".repeat(65);

        // when
        HttpResponse<String> ok = api.post("/workflows/hello/runs", deepest);
        HttpResponse<String> refused = api.post("/workflows/hello/runs", tooDeep);

        // then
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = Json.parse(refused.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("bad_request");
        assertThat(error.get("message").asText()).contains("64").contains("nesting");
        assertThat(error.get("details").get(0).get("max").asInt()).isEqualTo(64);
    }

    @Test
    void pointsAtTheLineAndColumnOfMalformedJson() {
        // when
        HttpResponse<String> response = api.post("/workflows/hello/runs", "{\n  \"a\": 1,\n  oops\n}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Json.parse(response.body()).get("error");
        assertThat(error.get("message").asText()).contains("line 3, column");
        assertThat(error.get("details").get(0).get("line").asInt()).isEqualTo(3);
        assertThat(error.get("details").get(0).get("column").asInt()).isPositive();
    }

    @Test
    void refusesTrailingContentAndDuplicateKeys() {
        HttpResponse<String> trailing = api.post("/workflows/hello/runs", "{} {}");
        HttpResponse<String> duplicate = api.post("/workflows/hello/runs", "{\"a\":1,\"a\":2}");

        assertThat(trailing.statusCode()).isEqualTo(400);
        assertThat(trailing.body()).contains("more content after").doesNotContain("com.fasterxml");
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(duplicate.body()).contains("Duplicate field 'a'");
    }

    private static String head(String method, String path, String extraHeader) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestApi.KEY
                + "\r\nContent-Type: application/json\r\n" + extraHeader + "\r\n\r\n";
    }

    record RawResponse(String statusLine, String body, boolean closed) {
    }

    /** Writes {@code request} as is, then reads what comes back until the server closes or goes quiet. */
    private RawResponse exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the server may close before all of it is written: that is the point
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            boolean closed = false;
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true; // reset by the server after it answered
            }
            String text = received.toString(StandardCharsets.UTF_8);
            int endOfLine = text.indexOf("\r\n");
            int endOfHead = text.indexOf("\r\n\r\n");
            return new RawResponse(endOfLine < 0 ? text : text.substring(0, endOfLine),
                    endOfHead < 0 ? "" : text.substring(endOfHead + 4), closed);
        }
    }
}
