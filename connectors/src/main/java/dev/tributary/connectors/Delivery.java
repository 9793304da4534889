package dev.tributary.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What became of one accepted event.
 *
 * @param duplicate true when an event with this id had been accepted before: it was not fired
 *                  again (its rules fired, or will fire on recovery, from the first acceptance)
 * @param outcomes  one per rule the event fired, in rule-name order; empty when none matched
 */
public record Delivery(String eventId, boolean duplicate, List<RuleOutcome> outcomes) {

    public Delivery {
        outcomes = List.copyOf(outcomes);
    }

    /** Every fired rule was served (vacuously true when none matched or the event was a duplicate). */
    public boolean succeeded() {
        return outcomes.stream().allMatch(RuleOutcome::succeeded);
    }

    /**
     * How one rule was served.
     *
     * @param runId     the run a workflow rule started (or found started for this event), else null
     * @param result    a function rule's result, else null
     * @param errorType null when served; else why not (a function's error type, {@code InputInvalid}, ...)
     */
    public record RuleOutcome(String rule, String runId, JsonNode result, String errorType, String errorMessage) {

        public boolean succeeded() {
            return errorType == null;
        }
    }
}
