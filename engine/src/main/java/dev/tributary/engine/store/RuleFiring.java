package dev.tributary.engine.store;

import java.time.Instant;

/**
 * What one event did for one rule: the run it started or the activation it made, or why it could
 * not (an {@code if} that failed to evaluate, an input the workflow refused, a function error).
 *
 * @param trigger    the rule's trigger (for an {@code event:} trigger, whatever the event's source)
 * @param target     {@code workflow} or {@code function}
 * @param errorType  null when the rule was served
 */
public record RuleFiring(String eventId, String rule, String trigger, String target, String targetName, String runId,
                         String activationId, String errorType, String errorMessage, Instant firedAt) {

    public boolean served() {
        return errorType == null;
    }
}
