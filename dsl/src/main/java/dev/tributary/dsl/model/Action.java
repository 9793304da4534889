package dev.tributary.dsl.model;

import dev.tributary.dsl.expr.ValueTemplate;
import java.time.Duration;
import java.util.List;

/** What a step does: exactly one of the step kinds of SPEC §2.4. */
public sealed interface Action {

    /** The step's kind key as written in the DSL, e.g. {@code call}. */
    String kind();

    /** {@code call: <function>}: invoke a user function or a built-in connector. */
    record Call(Ref function, ValueTemplate with) implements Action {
        public String kind() {
            return "call";
        }
    }

    /** {@code workflow: <name>}: start a child run and wait for its output. */
    record RunWorkflow(Ref workflow, ValueTemplate with) implements Action {
        public String kind() {
            return "workflow";
        }
    }

    /** {@code switch:} the first case that holds gives the next step; else {@code default}; else fall through. */
    record Switch(List<Case> cases, String defaultNext) implements Action {
        public Switch {
            cases = List.copyOf(cases);
        }

        public String kind() {
            return "switch";
        }
    }

    record Case(Condition when, String next) {
    }

    /** {@code wait: <duration>}. */
    record Delay(Duration duration) implements Action {
        public String kind() {
            return "wait";
        }
    }

    /** {@code wait: {until: <time>}}: an ISO-8601 instant, possibly computed. */
    record Until(ValueTemplate time) implements Action {
        public String kind() {
            return "wait";
        }
    }

    /**
     * {@code wait: {event, key, match, timeout, result}}: resumed by an event whose type equals
     * {@code type}, whose subject equals {@code key} and for which {@code match} holds; the whole
     * CloudEvent is written to {@code result}. A timeout raises {@code Timeout}.
     */
    record AwaitEvent(String type, ValueTemplate key, Condition match, Duration timeout, ResultPath result) implements Action {
        public String kind() {
            return "wait";
        }
    }

    /** {@code parallel:} branches run side by side; {@code all} needs every one, {@code any} the first to succeed. */
    record Parallel(List<Branch> branches, Mode mode) implements Action {
        public Parallel {
            branches = List.copyOf(branches);
        }

        public String kind() {
            return "parallel";
        }

        public enum Mode { ALL, ANY }
    }

    record Branch(String name, List<Step> steps) {
        public Branch {
            steps = List.copyOf(steps);
        }
    }

    /** {@code foreach:} run {@code steps} once per element, at most {@code concurrency} at once. */
    record Foreach(ValueTemplate items, String as, int concurrency, Tolerance tolerate, List<Step> steps) implements Action {
        public static final int DEFAULT_CONCURRENCY = 10;
        public static final int MAX_CONCURRENCY = 1000;

        public Foreach {
            steps = List.copyOf(steps);
        }

        public String kind() {
            return "foreach";
        }
    }

    /** {@code set:} write values into {@code data}, each at its (dotted) path. */
    record SetValues(List<Assignment> assignments) implements Action {
        public SetValues {
            assignments = List.copyOf(assignments);
        }

        public String kind() {
            return "set";
        }
    }

    record Assignment(ResultPath path, ValueTemplate value) {
    }

    /** {@code emit:} publish a CloudEvent, which may fire rules and resume waits. */
    record Emit(ValueTemplate type, ValueTemplate subject, ValueTemplate data) implements Action {
        public String kind() {
            return "emit";
        }
    }

    /** {@code succeed: true}: end the run successfully now. */
    record Succeed() implements Action {
        public String kind() {
            return "succeed";
        }
    }

    /** {@code fail:} end the run with this error. */
    record Fail(ValueTemplate error, ValueTemplate message) implements Action {
        public String kind() {
            return "fail";
        }
    }
}
