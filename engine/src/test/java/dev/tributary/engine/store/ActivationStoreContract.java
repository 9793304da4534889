package dev.tributary.engine.store;

import static dev.tributary.engine.store.ActivationFixtures.T0;
import static dev.tributary.engine.store.ActivationFixtures.anActivation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.functions.Activation;
import dev.tributary.functions.InvocationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ActivationStore} must do. A backend's test extends this and says how to open
 * an empty store.
 */
abstract class ActivationStoreContract {

    private JdbcRunStore runStore;
    protected ActivationStore store;

    /** A store with no activations in it; the test closes it. */
    protected abstract JdbcRunStore openStore();

    @BeforeEach
    void open() {
        runStore = openStore();
        store = runStore.activations();
    }

    @AfterEach
    void close() {
        runStore.close();
    }

    @Nested
    class Recording {

        @Test
        void readsBackEveryFieldOfASuccessfulActivation() {
            // given
            Activation written = anActivation("a-1").function("payments.charge").version(3).run("r-1", "charge").attempt(2)
                    .startedAt(T0).duration(Duration.ofNanos(123_456_789)).memoryMb(512).coldStart()
                    .result(JsonNodeFactory.instance.objectNode().put("amount", 12.5).putNull("note"))
                    .logs("charging\nüñí 世界\n").build();

            // when
            store.record(List.of(written));

            // then
            Activation read = store.activation("a-1").orElseThrow();
            assertThat(read).isEqualTo(written);
            assertThat(read.status()).isEqualTo(Activation.Status.SUCCESS);
            assertThat(read.idempotencyKey()).isEqualTo("r-1/charge/2");
            assertThat(read.startedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123456Z"));
        }

        @Test
        void keepsAFailuresTypeAndMessageAndItsStatus() {
            // given
            store.record(List.of(
                    anActivation("a-1").failed("CardDeclined", "the card was declined").build(),
                    anActivation("a-2").timedOut().build()));

            // when
            Activation declined = store.activation("a-1").orElseThrow();
            Activation late = store.activation("a-2").orElseThrow();

            // then
            assertThat(declined.result()).isEqualTo(new InvocationResult.Failure("CardDeclined", "the card was declined"));
            assertThat(declined.status()).isEqualTo(Activation.Status.ERROR);
            assertThat(declined.value()).isNull();
            assertThat(late.status()).isEqualTo(Activation.Status.TIMEOUT);
        }

        @Test
        void keepsADirectInvocationWithoutRunOrStep() {
            // given
            Activation direct = anActivation("a-1").build();

            // when
            store.record(List.of(direct));

            // then
            Activation read = store.activation("a-1").orElseThrow();
            assertThat(read.runId()).isNull();
            assertThat(read.step()).isNull();
            assertThat(read.idempotencyKey()).isEqualTo("a-1");
        }

        @Test
        void storesLogsWithNulCharacters() {
            // given: PostgreSQL text refuses NUL; a function printing one must not lose its activation
            store.record(List.of(anActivation("a-1").logs("before\0after").failed("FunctionError", "bad\0byte").build()));

            // then
            Activation read = store.activation("a-1").orElseThrow();
            assertThat(read.logs()).isEqualTo("before\uFFFDafter");
            assertThat(((InvocationResult.Failure) read.result()).message()).isEqualTo("bad\uFFFDbyte");
        }

        @Test
        void answersEmptyForAnUnknownId() {
            assertThat(store.activation("nope")).isEmpty();
        }

        @Test
        void keepsTheFirstRowWhenAnIdIsRecordedAgain() {
            // given
            store.record(List.of(anActivation("a-1").function("first").build()));

            // when: a batch written again after an ambiguous failure
            store.record(List.of(anActivation("a-1").function("second").build(), anActivation("a-2").build()));

            // then
            assertThat(store.activation("a-1").orElseThrow().function()).isEqualTo("first");
            assertThat(store.activation("a-2")).isPresent();
            assertThat(store.usage(T0.minusSeconds(1), T0.plusSeconds(1)).total().activations()).isEqualTo(2);
        }

        @Test
        void writesABatchAllOrNothing() {
            // given: the second activation's function name is longer than the column allows
            List<Activation> batch = List.of(anActivation("a-1").build(), anActivation("a-2").function("f".repeat(300)).build());

            // when / then
            assertThatThrownBy(() -> store.record(batch)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("record 2 activations");
            assertThat(store.activation("a-1")).isEmpty();
        }

        @Test
        void recordsNothingForAnEmptyBatch() {
            store.record(List.of());

            assertThat(store.activations(ActivationQuery.newest(10)).activations()).isEmpty();
        }
    }

    @Nested
    class Listing {

        @Test
        void listsNewestFirstAndPagesWithoutGapsOrRepeats() {
            // given: two pairs share a start time, so the id breaks the tie
            List<Activation> written = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                written.add(anActivation("a-" + i).startedAt(T0.plusMillis(i / 2)).build());
            }
            store.record(written);

            // when
            List<String> seen = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            String cursor = null;
            do {
                ActivationPage page = store.activations(new ActivationQuery(null, null, null, 3, cursor));
                page.activations().forEach(a -> seen.add(a.id()));
                sizes.add(page.activations().size());
                cursor = page.cursor();
            } while (cursor != null);

            // then
            assertThat(sizes).containsExactly(3, 3, 1);
            assertThat(seen).containsExactly("a-6", "a-5", "a-4", "a-3", "a-2", "a-1", "a-0");
        }

        @Test
        void answersTheLastPageWithoutACursor() {
            store.record(List.of(anActivation("a-1").build(), anActivation("a-2").build()));

            ActivationPage page = store.activations(ActivationQuery.newest(2));

            assertThat(page.activations()).hasSize(2);
            assertThat(page.cursor()).isNull();
        }

        @Test
        void filtersByFunctionRunAndStatus() {
            // given
            store.record(List.of(
                    anActivation("a-1").function("charge").run("r-1", "pay").build(),
                    anActivation("a-2").function("charge").run("r-1", "pay").attempt(2).failed("CardDeclined", "no").build(),
                    anActivation("a-3").function("ship").run("r-1", "ship").build(),
                    anActivation("a-4").function("charge").run("r-2", "pay").build(),
                    anActivation("a-5").function("charge").timedOut().build()));

            // when / then
            assertThat(ids(new ActivationQuery("charge", null, null, 10, null))).containsExactlyInAnyOrder("a-1", "a-2", "a-4", "a-5");
            assertThat(ids(new ActivationQuery(null, "r-1", null, 10, null))).containsExactlyInAnyOrder("a-1", "a-2", "a-3");
            assertThat(ids(new ActivationQuery(null, null, Activation.Status.ERROR, 10, null))).containsExactly("a-2");
            assertThat(ids(new ActivationQuery(null, null, Activation.Status.TIMEOUT, 10, null))).containsExactly("a-5");
            assertThat(ids(new ActivationQuery("charge", "r-1", Activation.Status.SUCCESS, 10, null))).containsExactly("a-1");
        }

        @Test
        void pagesWithinAFilter() {
            // given
            store.record(IntStream.range(0, 6).mapToObj(i -> anActivation("a-" + i).function(i % 2 == 0 ? "even" : "odd")
                    .startedAt(T0.plusSeconds(i)).build()).toList());

            // when
            ActivationPage first = store.activations(new ActivationQuery("even", null, null, 2, null));
            ActivationPage second = store.activations(new ActivationQuery("even", null, null, 2, first.cursor()));

            // then
            assertThat(first.activations()).extracting(Activation::id).containsExactly("a-4", "a-2");
            assertThat(second.activations()).extracting(Activation::id).containsExactly("a-0");
            assertThat(second.cursor()).isNull();
        }

        @Test
        void refusesACursorItDidNotMakeAndALimitBelowOne() {
            assertThatThrownBy(() -> store.activations(new ActivationQuery(null, null, null, 10, "not a cursor")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor").hasMessageContaining("activations");
            assertThatThrownBy(() -> store.activations(new ActivationQuery(null, null, null, 0, null)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        }

        private List<String> ids(ActivationQuery query) {
            return store.activations(query).activations().stream().map(Activation::id).toList();
        }
    }

    @Nested
    class Metering {

        @Test
        void sumsUsagePerFunctionForActivationsThatStartedInTheRange() {
            // given: [T0, T0 + 1h)
            Instant from = T0;
            Instant to = T0.plusSeconds(3600);
            store.record(List.of(
                    anActivation("before").function("charge").startedAt(from.minusNanos(1000)).build(),
                    anActivation("a-1").function("charge").startedAt(from).duration(Duration.ofSeconds(2)).memoryMb(1024).build(),
                    anActivation("a-2").function("charge").startedAt(from.plusSeconds(60)).duration(Duration.ofSeconds(1)).memoryMb(512)
                            .failed("CardDeclined", "no").build(),
                    anActivation("a-3").function("ship").startedAt(to.minusNanos(1000)).duration(Duration.ofMillis(100)).memoryMb(128).build(),
                    anActivation("at-end").function("ship").startedAt(to).build()));

            // when
            Usage usage = store.usage(from, to);

            // then: failed activations cost too
            assertThat(usage.functions()).extracting(Usage.FunctionUsage::function).containsExactly("charge", "ship");
            ActivationTotals charge = usage.functions().get(0).totals();
            assertThat(charge.activations()).isEqualTo(2);
            assertThat(charge.gbSeconds()).isCloseTo(2.5, within(1e-9));
            assertThat(charge.cost()).isCloseTo(2.5 * 0.0000166667, within(1e-15));
            ActivationTotals ship = usage.functions().get(1).totals();
            assertThat(ship.activations()).isEqualTo(1);
            assertThat(ship.gbSeconds()).isCloseTo(0.0125, within(1e-12));
            assertThat(usage.total().activations()).isEqualTo(3);
            assertThat(usage.total().gbSeconds()).isCloseTo(2.5125, within(1e-9));
            assertThat(usage.total().cost()).isCloseTo(charge.cost() + ship.cost(), within(1e-18));
        }

        @Test
        void answersZeroUsageForARangeWithoutActivations() {
            Usage usage = store.usage(T0, T0.plusSeconds(1));

            assertThat(usage.functions()).isEmpty();
            assertThat(usage.total()).isEqualTo(ActivationTotals.ZERO);
        }

        @Test
        void refusesARangeThatEndsBeforeItStarts() {
            assertThatThrownBy(() -> store.usage(T0, T0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("before its end");
        }

        @Test
        void sumsTheCostOfEveryActivationOfARun() {
            // given: two attempts of one step and another step, and another run
            store.record(List.of(
                    anActivation("a-1").run("r-1", "pay").duration(Duration.ofSeconds(1)).memoryMb(1024).failed("Boom", "x").build(),
                    anActivation("a-2").run("r-1", "pay").attempt(2).duration(Duration.ofSeconds(1)).memoryMb(1024).build(),
                    anActivation("a-3").run("r-1", "ship").duration(Duration.ofMillis(500)).memoryMb(256).build(),
                    anActivation("a-4").run("r-2", "pay").build()));

            // when
            ActivationTotals cost = store.runCost("r-1");

            // then
            assertThat(cost.activations()).isEqualTo(3);
            assertThat(cost.gbSeconds()).isCloseTo(2.125, within(1e-9));
            assertThat(cost.cost()).isCloseTo(2.125 * 0.0000166667, within(1e-15));
            assertThat(store.runCost("r-unknown")).isEqualTo(ActivationTotals.ZERO);
        }
    }
}
