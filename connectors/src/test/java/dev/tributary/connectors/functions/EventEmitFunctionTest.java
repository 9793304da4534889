package dev.tributary.connectors.functions;

import static dev.tributary.connectors.functions.ConnectorJobs.failure;
import static dev.tributary.connectors.functions.ConnectorJobs.job;
import static dev.tributary.connectors.functions.ConnectorJobs.json;
import static dev.tributary.connectors.functions.ConnectorJobs.success;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.EventPublisher;
import dev.tributary.functions.Execution;
import dev.tributary.functions.InvocationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code event.emit} over a publisher that collects what it is given. */
class EventEmitFunctionTest {

    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final List<ObjectNode> published = new CopyOnWriteArrayList<>();
    private final EventPublisher collecting = event -> {
        published.add(event);
        return CompletableFuture.completedFuture(event.get("id").asText());
    };
    private final EventEmitFunction emit = new EventEmitFunction(CLOCK, collecting);

    @Test
    void publishesACloudEventAndAnswersItsId() {
        // when
        Execution execution = emit.invoke(job("event.emit", "{\"type\": \"order.shipped\", \"subject\": \"o-7\","
                + " \"data\": {\"carrier\": \"ups\"}}", "r-1/ship/1", Duration.ofSeconds(10))).join();

        // then
        assertThat(published).hasSize(1);
        ObjectNode event = published.get(0);
        String id = EventEmitFunction.eventId("r-1/ship/1");
        assertThat(success(execution)).isEqualTo(json("{\"id\": \"" + id + "\"}"));
        assertThat(event).isEqualTo(json("{\"specversion\": \"1.0\", \"id\": \"" + id + "\", \"source\": \"/functions/event.emit\","
                + " \"type\": \"order.shipped\", \"subject\": \"o-7\", \"time\": \"2026-03-01T09:00:00Z\","
                + " \"datacontenttype\": \"application/json\", \"data\": {\"carrier\": \"ups\"}}"));
    }

    @Test
    void theEventIdIsTheSameForTheSameActivationAndNewForTheNextAttempt() {
        // when
        emit.invoke(job("event.emit", "{\"type\": \"t\", \"data\": 1}", "r-1/step/1", Duration.ofSeconds(10))).join();
        emit.invoke(job("event.emit", "{\"type\": \"t\", \"data\": 1}", "r-1/step/1", Duration.ofSeconds(10))).join();
        emit.invoke(job("event.emit", "{\"type\": \"t\", \"data\": 1}", "r-1/step/2", Duration.ofSeconds(10))).join();

        // then
        assertThat(published).extracting(e -> e.get("id").asText()).containsExactly(
                EventEmitFunction.eventId("r-1/step/1"), EventEmitFunction.eventId("r-1/step/1"), EventEmitFunction.eventId("r-1/step/2"));
        assertThat(EventEmitFunction.eventId("r-1/step/1")).isNotEqualTo(EventEmitFunction.eventId("r-1/step/2"));
        assertThat(published.get(0).has("subject")).isFalse();
    }

    @Test
    void inputWithoutATypeOrDataIsInputInvalid() {
        assertThat(failure(emit.invoke(job("event.emit", "{\"data\": {}}")).join())).isEqualTo(new InvocationResult.Failure(
                "InputInvalid", "Expected 'type' in the input of event.emit, but it is missing"));
        assertThat(failure(emit.invoke(job("event.emit", "{\"type\": \"t\"}")).join())).isEqualTo(new InvocationResult.Failure(
                "InputInvalid", "Expected 'data' in the input of event.emit, but it is missing"));
        assertThat(failure(emit.invoke(job("event.emit", "{\"type\": 3, \"data\": null}")).join()).message())
                .isEqualTo("Expected 'type' in the input of event.emit to be a string, but it is a number");
        assertThat(published).isEmpty();
    }

    @Test
    void aPublisherThatFailsOrDoesNotAnswerFailsTheCall() {
        // given
        EventEmitFunction down = new EventEmitFunction(CLOCK, event -> CompletableFuture.failedFuture(new IllegalStateException("store down")));
        EventEmitFunction silent = new EventEmitFunction(CLOCK, event -> new CompletableFuture<>());

        // when
        Execution failed = down.invoke(job("event.emit", "{\"type\": \"t\", \"data\": 1}")).join();
        Execution timedOut = silent.invoke(job("event.emit", "{\"type\": \"t\", \"data\": 1}", "k", Duration.ofMillis(100))).join();

        // then
        assertThat(failed.result()).isEqualTo(new InvocationResult.Failure("FunctionError", "event.emit failed: store down"));
        assertThat(timedOut.result()).isEqualTo(new InvocationResult.Failure("Timeout", "event.emit could not publish within PT0.1S"));
    }
}
