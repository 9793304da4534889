package dev.tributary.dsl.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.expr.ValueTemplate;
import dev.tributary.dsl.model.Action;
import dev.tributary.dsl.model.Action.Parallel.Mode;
import dev.tributary.dsl.model.Catcher;
import dev.tributary.dsl.model.Condition;
import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.model.Ref;
import dev.tributary.dsl.model.ResultPath;
import dev.tributary.dsl.model.RetryPolicy;
import dev.tributary.dsl.model.Step;
import dev.tributary.dsl.model.Tolerance;
import dev.tributary.dsl.source.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads a workflow's steps (SPEC §2.4), recursing into parallel branches and foreach bodies. */
final class StepReader {

    static final List<String> KINDS = List.of("call", "workflow", "switch", "wait", "parallel", "foreach", "set", "emit", "succeed", "fail");
    private static final List<String> COMMON = List.of("name", "description", "if", "next", "end");
    /** Fields that only some step kinds take, and which. */
    private static final Map<String, Set<String>> MODIFIERS = new LinkedHashMap<>();

    static {
        MODIFIERS.put("with", Set.of("call", "workflow"));
        MODIFIERS.put("result", Set.of("call", "workflow", "parallel", "foreach"));
        MODIFIERS.put("timeout", Set.of("call", "workflow", "parallel", "foreach"));
        MODIFIERS.put("retry", Set.of("call", "workflow"));
        MODIFIERS.put("catch", Set.of("call", "workflow", "wait", "parallel", "foreach"));
        MODIFIERS.put("steps", Set.of("foreach"));
        MODIFIERS.put("as", Set.of("foreach"));
        MODIFIERS.put("concurrency", Set.of("foreach"));
        MODIFIERS.put("tolerate", Set.of("foreach"));
    }

    static final List<String> ALL_FIELDS = Stream.of(KINDS, COMMON, List.copyOf(MODIFIERS.keySet()))
            .flatMap(List::stream).toList();
    private static final Set<String> RESERVED = Set.of("input", "data", "event", "index", "error", "run", "item");
    private static final Set<String> PROGRESS_KINDS = Set.of("call", "workflow", "wait");

    private final Fields workflow;
    private final References refs;
    /** Every step name in the workflow, with its path: names are unique across branches too. */
    private final Map<String, String> names = new LinkedHashMap<>();

    StepReader(Fields workflow, References refs) {
        this.workflow = workflow;
        this.refs = refs;
    }

    Map<String, String> names() {
        return names;
    }

    /** A non-empty list of steps at {@code path}; null (reported) if it is not one. */
    List<Step> list(JsonNode node, String path) {
        Report report = workflow.report();
        if (node == null || !node.isArray()) {
            report.atValue(path, "expected a list of steps, got " + Json.describe(node));
            return null;
        }
        if (node.isEmpty()) {
            report.atValue(path, "a list of steps needs at least one step");
            return null;
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            steps.add(step(node.get(i), Paths.index(path, i)));
        }
        return steps;
    }

    /** Always returns a step, so flow checks can run; it stands in for whatever could not be read. */
    private Step step(JsonNode node, String path) {
        Fields f = Fields.of(node, path, workflow.report(), workflow.expressions(), "a step");
        if (f == null) {
            return placeholder("#" + path);
        }
        String name = f.name("name", Names.STEP, Names.STEP_RULE);
        if (name == null && !f.has("name")) {
            f.report().atValue(path, "missing required field 'name' (every step has a name, unique in the workflow)");
        }
        if (name != null) {
            String first = names.putIfAbsent(name, path);
            if (first != null) {
                f.report().atValue(f.at("name"), "duplicate step name '" + name + "' (first at " + first
                        + ", line " + f.report().map().valueAt(first).line() + "); step names are unique across the whole workflow");
            }
        }
        List<String> kinds = KINDS.stream().filter(f::has).toList();
        if (kinds.size() != 1) {
            if (kinds.isEmpty()) {
                f.report().atValue(path, "a step needs one kind key: " + String.join(", ", KINDS)
                        + kindHint(node));
            } else {
                f.report().atKey(f.at(kinds.get(1)), "a step has exactly one kind key, but '" + kinds.get(0)
                        + "' and '" + kinds.get(1) + "' are both given");
            }
            MODIFIERS.keySet().forEach(f::get);
            f.rejectUnknown("a step", ALL_FIELDS);
            return placeholder(name == null ? "#" + path : name);
        }
        String kind = kinds.get(0);
        for (Map.Entry<String, Set<String>> m : MODIFIERS.entrySet()) {
            if (f.has(m.getKey()) && !m.getValue().contains(kind)) {
                f.get(m.getKey());
                f.report().atKey(f.at(m.getKey()), "'" + m.getKey() + "' does not apply to a " + kind + " step; it applies to "
                        + m.getValue().stream().sorted().collect(Collectors.joining(", ")) + " steps");
            }
        }
        String description = f.string("description");
        Condition condition = f.condition("if");
        String next = f.name("next", Names.STEP, Names.STEP_RULE);
        boolean end = Boolean.TRUE.equals(f.bool("end"));
        if (kind.equals("succeed") || kind.equals("fail")) {
            for (String flow : List.of("next", "end")) {
                if (f.has(flow)) {
                    f.report().atKey(f.at(flow), "'" + flow + "' does not apply to a " + kind + " step: it ends the run");
                }
            }
        } else if (end && next != null) {
            f.report().atKey(f.at("end"), "'end: true' and 'next' contradict each other; keep one");
        }
        Action action = action(kind, f);
        ResultPath result = MODIFIERS.get("result").contains(kind) ? StepModifiers.result(f, "result", name) : ResultPath.DISCARD;
        Duration timeout = MODIFIERS.get("timeout").contains(kind) ? f.duration("timeout", null) : null;
        RetryPolicy retry = MODIFIERS.get("retry").contains(kind) ? StepModifiers.retry(f) : RetryPolicy.NONE;
        List<Catcher> catchers = MODIFIERS.get("catch").contains(kind) ? StepModifiers.catchers(f) : List.of();
        f.rejectUnread("step '" + (name == null ? path : name) + "'", ALL_FIELDS);
        return new Step(name == null ? "#" + path : name, description, condition,
                action == null ? unreadable() : action, next, end, result, timeout, retry, catchers);
    }

    private Action action(String kind, Fields f) {
        String at = f.at(kind);
        return switch (kind) {
            case "call" -> {
                Ref ref = ref(f, kind, Kind.FUNCTION, Names.FUNCTION, Names.FUNCTION_RULE);
                ValueTemplate with = f.template("with");
                yield ref == null ? null : new Action.Call(ref, with);
            }
            case "workflow" -> {
                Ref ref = ref(f, kind, Kind.WORKFLOW, Names.RESOURCE, Names.RESOURCE_RULE);
                ValueTemplate with = f.template("with");
                yield ref == null ? null : new Action.RunWorkflow(ref, with);
            }
            case "switch" -> switchCases(f.get(kind), at);
            case "wait" -> new WaitReader(f).read();
            case "parallel" -> parallel(f, at);
            case "foreach" -> foreach(f, at);
            case "set" -> set(f, at);
            case "emit" -> emit(f.child(kind, "an event to emit: {type, subject, data}"));
            case "succeed" -> {
                JsonNode v = f.get(kind);
                if (!v.isBoolean() || !v.asBoolean()) {
                    f.report().atValue(at, "write 'succeed: true' to end the run successfully, got " + Json.describe(v));
                    yield null;
                }
                yield new Action.Succeed();
            }
            case "fail" -> fail(f.child(kind, "the error to end the run with: {error, message}"));
            default -> throw new IllegalStateException("no reader for step kind " + kind);
        };
    }

    private Ref ref(Fields f, String key, Kind kind, Pattern pattern, String rule) {
        String text = f.string(key);
        if (text == null) {
            return null;
        }
        Ref ref = Names.ref(text, pattern);
        if (ref == null) {
            f.report().atValue(f.at(key), "'" + text + "' is not a " + kind.key() + " name: " + rule + "; optionally @version");
            return null;
        }
        refs.add(kind, ref.name(), f.at(key), f.report());
        return ref;
    }

    private Action switchCases(JsonNode node, String path) {
        Report report = workflow.report();
        if (!node.isArray() || node.isEmpty()) {
            report.atValue(path, "expected a list of cases ({when: ${...}, next: step} ... {default: step}), got " + Json.describe(node));
            return null;
        }
        List<Action.Case> cases = new ArrayList<>();
        String defaultNext = null;
        for (int i = 0; i < node.size(); i++) {
            String at = Paths.index(path, i);
            Fields c = Fields.of(node.get(i), at, report, workflow.expressions(), "a switch case");
            if (c == null) {
                continue;
            }
            if (defaultNext != null) {
                report.atValue(at, "the 'default' case must be the last case; this one can never be chosen");
            }
            if (c.has("default")) {
                defaultNext = c.name("default", Names.STEP, Names.STEP_RULE);
                c.rejectUnread("a default case (it holds only 'default: <step>')", List.of("default"));
                continue;
            }
            Condition when = c.missing("when", "the condition, e.g. ${ data.total > 100 }") ? null : c.condition("when");
            String next = c.missing("next", "the step to go to when the condition holds") ? null : c.name("next", Names.STEP, Names.STEP_RULE);
            c.rejectUnread("a switch case", List.of("when", "next", "default"));
            if (when != null && next != null) {
                cases.add(new Action.Case(when, next));
            }
        }
        return new Action.Switch(cases, defaultNext);
    }

    private Action parallel(Fields f, String at) {
        Fields p = f.child("parallel", "{branches: [...], mode: all|any}");
        if (p == null) {
            return null;
        }
        Mode mode = p.choice("mode", Mode.class, Mode.ALL);
        List<Action.Branch> branches = new ArrayList<>();
        JsonNode list = p.get("branches");
        if (p.missing("branches", "a list of branches, each {steps: [...]}")) {
            p.rejectUnread("a parallel step", List.of("branches", "mode"));
            return null;
        }
        if (!list.isArray() || list.isEmpty()) {
            p.report().atValue(p.at("branches"), "expected a non-empty list of branches, each {steps: [...]}, got " + Json.describe(list));
        } else {
            for (int i = 0; i < list.size(); i++) {
                String bp = Paths.index(p.at("branches"), i);
                Fields b = Fields.of(list.get(i), bp, p.report(), p.expressions(), "a branch {name, steps}");
                if (b == null) {
                    continue;
                }
                String name = b.name("name", Names.STEP, Names.STEP_RULE);
                List<Step> steps = b.missing("steps", "the branch's list of steps") ? null : list(b.get("steps"), b.at("steps"));
                b.rejectUnread("a parallel branch", List.of("name", "steps"));
                if (steps != null) {
                    branches.add(new Action.Branch(name == null ? "branch-" + i : name, steps));
                }
            }
        }
        p.rejectUnread("a parallel step", List.of("branches", "mode"));
        return new Action.Parallel(branches, mode);
    }

    private Action foreach(Fields f, String at) {
        JsonNode items = f.get("foreach");
        ValueTemplate template = null;
        if (items.isArray() || (items.isTextual() && items.asText().trim().startsWith("${"))) {
            template = f.template(items, at);
        } else {
            f.report().atValue(at, "foreach takes a list, or an expression giving one, e.g. ${ data.items }; got " + Json.describe(items));
        }
        String as = f.string("as");
        if (as != null && (!Names.IDENTIFIER.matcher(as).matches() || (RESERVED.contains(as) && !as.equals("item")))) {
            f.report().atValue(f.at("as"), "'as' names the current element: a plain identifier other than "
                    + String.join(", ", RESERVED.stream().filter(r -> !r.equals("item")).sorted().toList()) + "; got '" + as + "'");
            as = null;
        }
        Integer concurrency = f.integer("concurrency", 1, Action.Foreach.MAX_CONCURRENCY);
        Tolerance tolerate = StepModifiers.tolerance(f);
        List<Step> steps = f.missing("steps", "the steps run for each element") ? null : list(f.get("steps"), f.at("steps"));
        if (template == null || steps == null) {
            return null;
        }
        return new Action.Foreach(template, as == null ? "item" : as,
                concurrency == null ? Action.Foreach.DEFAULT_CONCURRENCY : concurrency, tolerate, steps);
    }

    private Action set(Fields f, String at) {
        Fields values = f.child("set", "the values to write into data");
        if (values == null) {
            return null;
        }
        JsonNode object = f.get("set");
        if (object.isEmpty()) {
            f.report().atValue(at, "'set' needs at least one field to write");
            return null;
        }
        List<Action.Assignment> assignments = new ArrayList<>();
        object.fieldNames().forEachRemaining(key -> {
            ResultPath path = StepModifiers.path(values, key, key, true);
            ValueTemplate value = values.template(key);
            if (path != null && value != null) {
                assignments.add(new Action.Assignment(path, value));
            }
        });
        return new Action.SetValues(assignments);
    }

    private static Action emit(Fields e) {
        if (e == null) {
            return null;
        }
        ValueTemplate type = e.missing("type", "the CloudEvent type, e.g. order.shipped") ? null : e.template("type");
        ValueTemplate subject = e.template("subject");
        ValueTemplate data = e.template("data");
        e.rejectUnread("an emit", List.of("type", "subject", "data"));
        if (type != null && type.isConstant() && !type.raw().isTextual()) {
            e.report().atValue(e.at("type"), "the event type must be text, got " + Json.describe(type.raw()));
            return null;
        }
        return type == null ? null : new Action.Emit(type, subject, data);
    }

    private static Action fail(Fields e) {
        if (e == null) {
            return null;
        }
        ValueTemplate error = e.missing("error", "the error type, e.g. PaymentDeclined") ? null : e.template("error");
        ValueTemplate message = e.template("message");
        e.rejectUnread("a fail", List.of("error", "message"));
        return error == null ? null : new Action.Fail(error, message);
    }

    /** Whether a step (or anything inside it) can wait: a loop through it does not spin. */
    static boolean makesProgress(Step step) {
        Action a = step.action();
        if (PROGRESS_KINDS.contains(a.kind())) {
            return true;
        }
        if (a instanceof Action.Parallel p) {
            return p.branches().stream().flatMap(b -> b.steps().stream()).anyMatch(StepReader::makesProgress);
        }
        if (a instanceof Action.Foreach fe) {
            return fe.steps().stream().anyMatch(StepReader::makesProgress);
        }
        return false;
    }

    private static String kindHint(JsonNode node) {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> {
            if (!ALL_FIELDS.contains(k)) {
                unknown.add(k);
            }
        });
        return unknown.stream().map(k -> Suggestions.closest(k, KINDS)).flatMap(java.util.Optional::stream)
                .findFirst().map(k -> " (did you mean '" + k + "'?)").orElse("");
    }

    /** Stands in for a step whose kind could not be read; counts as progress so no false loop is reported. */
    private static Step placeholder(String name) {
        return new Step(name, null, null, unreadable(), null, false, ResultPath.DISCARD, null, RetryPolicy.NONE, List.of());
    }

    private static Action unreadable() {
        return new Action.Call(Ref.latest("?"), null);
    }
}
