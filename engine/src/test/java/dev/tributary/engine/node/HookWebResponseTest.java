package dev.tributary.engine.node;

import static dev.tributary.engine.node.NodeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a {@code respond: true} hook answers for a rule's output (the web-action form). */
class HookWebResponseTest {

    @Test
    void aStatusCodeOutputIsAWebResponseWithoutTheHeadersThatFrameTheAnswer() {
        // when
        HookResponse answer = Hooks.webResponse(json("""
                {"statusCode": 201, "headers": {"X-Made-By": "fn", "Content-Length": "1", "Transfer-Encoding": "chunked",
                 "X-Content-Type-Options": "none", "X-Split": "a\\r\\nSet-Cookie: evil=1", "Bad Name": "x"},
                 "body": {"made": true}}"""));

        // then
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.headers()).containsOnlyKeys("x-made-by", "content-type");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"made\":true}");
    }

    @Test
    void aStatusOutsideTheAnswerableRangeIsABadGatewayNotAThrow() {
        for (int status : new int[] {-1, 101, 204, 304, 600}) {
            HookResponse answer = Hooks.webResponse(json("{\"statusCode\": " + status + ", \"body\": \"x\"}"));
            assertThat(answer.status()).as("statusCode %d", status).isEqualTo(502);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("statusCode " + status);
        }
    }

    @Test
    void textIsAnsweredAsTextAndAnythingElseAsJson() {
        assertThat(Hooks.webResponse(json("\"hi\"")).headers()).containsEntry("content-type", "text/plain; charset=utf-8");
        assertThat(new String(Hooks.webResponse(json("[1, 2]")).body(), StandardCharsets.UTF_8)).isEqualTo("[1,2]");
        assertThat(Hooks.webResponse(json("{\"statusCode\": \"200\"}")).status()).as("a string is not a status").isEqualTo(200);
    }
}
