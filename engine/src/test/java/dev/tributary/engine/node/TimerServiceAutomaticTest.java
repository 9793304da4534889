package dev.tributary.engine.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.core.RunStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production timer mode: a scheduler thread fires waits by itself, without runDue(). */
class TimerServiceAutomaticTest {

    @TempDir
    Path dataDir;

    @Test
    void shortWaitsEndByThemselvesOnTheSystemClock() {
        assertTwoWaitsEnd(Clock.systemUTC());
    }

    @Test
    void aWakeUpThatComesEarlyByTheNodesClockIsSetAgain() {
        // A clock running at 90% speed: every wake-up the scheduler sets comes early by this clock.
        assertTwoWaitsEnd(new SlowClock(Instant.parse("2026-03-01T09:00:00Z"), 0.9));
    }

    private void assertTwoWaitsEnd(Clock clock) {
        // given
        NodeFixture fixture = new NodeFixture(dataDir);
        NodeConfig config = fixture.config().withClock(clock).withTimerMode(TimerService.Mode.AUTOMATIC)
                .withTimerHorizon(Duration.ofMinutes(10)); // long: the periodic reload must not be what fires them
        try (Node node = fixture.startWith(config)) {
            node.deploy(TestWorkflows.files("""
                    workflow: naps
                    steps:
                      - name: one
                        wait: 150ms
                      - name: two
                        wait: 150ms
                      - name: wake
                        set: { woke: true }
                    """));

            // when
            RunView run = NodeFixture.get(node.startRun("naps", NodeFixture.json("{}"), null));
            RunView ended = NodeFixture.get(node.awaitEnd(run.id(), Duration.ofSeconds(5)));

            // then
            assertThat(ended.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(Duration.between(ended.startedAt(), ended.endedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    /** Reads elapsed real time scaled by a factor (it never reads the wall clock). */
    private static final class SlowClock extends Clock {
        private final Instant start;
        private final double speed;
        private final long origin = System.nanoTime();

        SlowClock(Instant start, double speed) {
            this.start = start;
            this.speed = speed;
        }

        @Override
        public Instant instant() {
            return start.plusNanos((long) ((System.nanoTime() - origin) * speed));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
