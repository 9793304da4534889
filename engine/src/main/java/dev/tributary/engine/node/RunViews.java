package dev.tributary.engine.node;

import dev.tributary.engine.core.RunState;
import dev.tributary.engine.core.RunStateCodec;
import dev.tributary.engine.store.RunRecord;

/** Converts between a run's interpreter state, its stored row and the view the API shows. */
final class RunViews {

    private RunViews() {
    }

    static RunView of(RunState s) {
        return new RunView(s.id(), s.workflow(), s.version(), s.status(), s.input(), s.data(), s.output(),
                s.error() == null ? null : s.error().toJson(), s.startedAt(), s.endedAt(), s.parentRunId());
    }

    static RunView of(RunRecord record) {
        return of(state(record));
    }

    static RunState state(RunRecord record) {
        return RunStateCodec.read(record.state());
    }

    /** The row to commit for a state; {@code version} is the row's version after the commit. */
    static RunRecord record(RunState s, long version, String idempotencyKey) {
        return new RunRecord(s.id(), s.workflow(), s.version(), s.status(), s.parentRunId(), idempotencyKey, s.input(),
                s.output(), s.error() == null ? null : s.error().toJson(), s.startedAt(), s.endedAt(), version,
                RunStateCodec.write(s));
    }
}
