package dev.tributary.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.core.HistoryEvent.Type;
import java.util.List;

/**
 * Interpreter scenarios, each driven by a {@link ManualDriver}. Every scenario doubles as a replay
 * test: after it, each run's history, replayed, must rebuild its state exactly.
 */
abstract class InterpreterScenarios {

    @org.junit.jupiter.api.AfterEach
    void everyRunReplaysFromItsHistory() {
        for (ManualDriver d : ManualDriver.madeSince()) {
            Replay replay = new Replay(d.interpreter);
            d.runs.forEach((id, state) -> {
                RunState rebuilt = replay.rebuild(d.plan(state.workflow()), d.history(id));
                assertThat(RunStateCodec.write(rebuilt)).as("replay of run %s", id).isEqualTo(RunStateCodec.write(state));
            });
        }
    }
    /** Every scenario below doubles as a replay test: each run's history, replayed, rebuilds its state exactly. */
    static List<Type> types(ManualDriver d, String run) {
        return d.history(run).stream().map(HistoryEvent::type).toList();
    }

    static List<String> steps(ManualDriver d, String run, Type type) {
        return d.history(run).stream().filter(e -> e.type() == type).map(HistoryEvent::step).toList();
    }

}
