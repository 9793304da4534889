package dev.tributary.engine.node;

import dev.tributary.engine.core.ErrorInfo;
import dev.tributary.engine.core.Signal;
import dev.tributary.functions.InvocationResult;
import java.time.Instant;

/** How an activation's outcome answers the run that asked for it, whether it ran inline or as a task. */
final class CallAnswers {

    private CallAnswers() {
    }

    static Signal signal(String opId, InvocationResult result, Instant at) {
        if (result instanceof InvocationResult.Success ok) {
            return new Signal.CallSucceeded(opId, ok.result(), at);
        }
        InvocationResult.Failure failure = (InvocationResult.Failure) result;
        return new Signal.CallFailed(opId, ErrorInfo.of(failure.type(), failure.message()), at);
    }
}
