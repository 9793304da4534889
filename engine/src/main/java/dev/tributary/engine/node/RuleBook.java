package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.TriggerEvents;
import dev.tributary.dsl.expr.ValueTemplate;
import dev.tributary.dsl.model.Condition;
import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.model.Ref;
import dev.tributary.dsl.model.RuleDef;
import dev.tributary.dsl.model.TriggerDef;
import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.dsl.model.WorkflowDef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The deployed triggers and rules as the router matches events against them, a snapshot of the
 * definitions at one moment. A workflow's {@code on:} entries are rules too, named
 * {@code <workflow>/on/<trigger>} (a name no deployed rule can have).
 *
 * <p>An event is for a trigger's rules when its {@code trigger} extension names the trigger
 * (every source sets it), and for the rules of every {@code event:} trigger whose pattern matches
 * its type; an event whose {@code rule} extension names a rule is for that rule only.
 */
final class RuleBook {

    static final RuleBook EMPTY = new RuleBook(Map.of(), List.of());

    /** One rule, deployed or from a workflow's {@code on:}. */
    record Rule(String name, String trigger, Condition condition, Target target, ValueTemplate with, boolean enabled,
                boolean shorthand) {
    }

    /** A workflow (by name or name@version) or a function. */
    record Target(Kind kind, Ref ref) {

        String kindKey() {
            return kind == Kind.WORKFLOW ? "workflow" : "function";
        }
    }

    private final Map<String, TriggerDef> triggers; // sorted by name
    private final List<Rule> rules;
    private final Map<String, List<Rule>> byTrigger = new LinkedHashMap<>();
    private final List<TriggerDef> patterns = new ArrayList<>();

    private RuleBook(Map<String, TriggerDef> triggers, List<Rule> rules) {
        this.triggers = triggers;
        this.rules = rules;
        for (Rule rule : rules) {
            byTrigger.computeIfAbsent(rule.trigger(), t -> new ArrayList<>()).add(rule);
        }
        triggers.values().stream().filter(t -> t.source() instanceof TriggerSource.EventPattern).forEach(patterns::add);
    }

    static RuleBook of(Definitions definitions) {
        Map<String, TriggerDef> triggers = new TreeMap<>();
        definitions.latest(Kind.TRIGGER).forEach(d -> triggers.put(d.record().name(), (TriggerDef) d.definition()));
        List<Rule> rules = new ArrayList<>();
        for (Definitions.Deployed d : definitions.latest(Kind.RULE)) {
            RuleDef rule = (RuleDef) d.definition();
            rules.add(new Rule(rule.name(), rule.trigger(), rule.condition(), new Target(rule.target().kind(), rule.target().ref()),
                    rule.with(), rule.enabled(), false));
        }
        for (Definitions.Deployed d : definitions.latest(Kind.WORKFLOW)) {
            WorkflowDef workflow = (WorkflowDef) d.definition();
            Map<String, Integer> seen = new TreeMap<>();
            for (WorkflowDef.TriggerBinding on : workflow.on()) {
                int n = seen.merge(on.trigger(), 1, Integer::sum);
                String name = workflow.name() + "/on/" + on.trigger() + (n > 1 ? "/" + n : "");
                rules.add(new Rule(name, on.trigger(), on.condition(), new Target(Kind.WORKFLOW, Ref.latest(workflow.name())),
                        on.with(), true, true));
            }
        }
        rules.sort(Comparator.comparing(Rule::name));
        return new RuleBook(Collections.unmodifiableMap(triggers), List.copyOf(rules));
    }

    Optional<TriggerDef> trigger(String name) {
        return Optional.ofNullable(triggers.get(name));
    }

    /** By name. */
    List<TriggerDef> triggers() {
        return List.copyOf(triggers.values());
    }

    /** Every rule, by name. */
    List<Rule> rules() {
        return rules;
    }

    Optional<Rule> rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** A trigger's rules, enabled or not, by name. */
    List<Rule> rulesOf(String trigger) {
        return byTrigger.getOrDefault(trigger, List.of());
    }

    boolean hasEnabledRule(String trigger) {
        return rulesOf(trigger).stream().anyMatch(Rule::enabled);
    }

    /** The enabled rules an event is for, by name, each once. */
    List<Rule> matching(JsonNode cloudEvent) {
        String trigger = text(cloudEvent, TriggerEvents.TRIGGER);
        String only = text(cloudEvent, TriggerEvents.RULE);
        String type = text(cloudEvent, "type");
        Map<String, Rule> matched = new TreeMap<>();
        if (trigger != null) {
            rulesOf(trigger).forEach(r -> matched.put(r.name(), r));
        }
        if (only == null && type != null) {
            for (TriggerDef pattern : patterns) {
                if (((TriggerSource.EventPattern) pattern.source()).matches(type)) {
                    rulesOf(pattern.name()).forEach(r -> matched.put(r.name(), r));
                }
            }
        }
        return matched.values().stream().filter(Rule::enabled).filter(r -> only == null || r.name().equals(only)).toList();
    }

    /** Whether an event of this type (with no trigger of its own) would fire any rule: engine events are only made then. */
    boolean listensTo(String type) {
        return patterns.stream().anyMatch(t -> ((TriggerSource.EventPattern) t.source()).matches(type) && hasEnabledRule(t.name()));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
