package dev.tributary.dsl.load;

import dev.tributary.dsl.expr.ValueTemplate;
import dev.tributary.dsl.model.Condition;
import dev.tributary.dsl.model.Kind;
import dev.tributary.dsl.model.Ref;
import dev.tributary.dsl.model.RuleDef;
import java.util.List;

/** Reads a {@code rule:} document (SPEC §2.6). */
final class RuleReader {

    static final List<String> FIELDS = List.of("rule", "description", "trigger", "if", "call", "workflow", "with", "enabled");

    private RuleReader() {
    }

    static RuleDef read(Fields f, References refs) {
        int before = f.report().count();
        String name = f.name("rule", Names.RESOURCE, Names.RESOURCE_RULE);
        String description = f.string("description");
        String trigger = f.missing("trigger", "the trigger whose events this rule handles") ? null
                : f.name("trigger", Names.RESOURCE, Names.RESOURCE_RULE);
        if (trigger != null) {
            refs.add(Kind.TRIGGER, trigger, f.at("trigger"), f.report());
        }
        Condition condition = f.condition("if");
        RuleDef.Target target = null;
        if (f.has("call") && f.has("workflow")) {
            f.report().atKey(f.at("workflow"), "a rule either calls a function or starts a workflow, not both");
        } else if (f.has("call")) {
            target = target(f, "call", Kind.FUNCTION, refs);
        } else if (f.has("workflow")) {
            target = target(f, "workflow", Kind.WORKFLOW, refs);
        } else {
            f.report().atValue(f.path(), "a rule needs what to run: 'call: <function>' or 'workflow: <workflow>'");
        }
        f.get("call");
        f.get("workflow");
        ValueTemplate with = f.template("with");
        Boolean enabled = f.bool("enabled");
        f.rejectUnread("a rule", FIELDS);
        if (f.report().count() > before || name == null || target == null) {
            return null;
        }
        return new RuleDef(name, description, trigger, condition, target, with, enabled == null || enabled);
    }

    private static RuleDef.Target target(Fields f, String key, Kind kind, References refs) {
        String text = f.string(key);
        if (text == null) {
            return null;
        }
        Ref ref = Names.ref(text, kind == Kind.FUNCTION ? Names.FUNCTION : Names.RESOURCE);
        if (ref == null) {
            f.report().atValue(f.at(key), "'" + text + "' is not a " + kind.key() + " name: "
                    + (kind == Kind.FUNCTION ? Names.FUNCTION_RULE : Names.RESOURCE_RULE) + "; optionally @version");
            return null;
        }
        refs.add(kind, ref.name(), f.at(key), f.report());
        return new RuleDef.Target(kind, ref);
    }
}
