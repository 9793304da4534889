package dev.tributary.engine.node;

import dev.tributary.connectors.schedule.FireTimes;
import dev.tributary.dsl.model.TriggerSource;
import java.time.Instant;
import java.util.List;

/** The next fire times {@code GET /triggers/{name}} shows: only cron and every triggers have them. */
final class NextFires {

    private NextFires() {
    }

    static List<Instant> of(TriggerSource source, Instant after, int count) {
        return source instanceof TriggerSource.Cron || source instanceof TriggerSource.Every
                ? FireTimes.next(source, after, count) : List.of();
    }
}
