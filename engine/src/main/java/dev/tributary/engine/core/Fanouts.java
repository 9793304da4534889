package dev.tributary.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.model.Action;
import dev.tributary.dsl.model.Step;
import dev.tributary.engine.core.RunState.Fanout;
import dev.tributary.engine.core.RunState.Frame;
import dev.tributary.engine.core.RunState.Pending;
import java.util.List;

/**
 * Parallel and foreach steps: each branch or iteration runs in its own frame on a copy of the
 * step's data; results are gathered by slot (input order), and the step ends when every slot has
 * (parallel {@code all}, foreach), when one wins (parallel {@code any}), or when a failure decides
 * it — then the slots still running are abandoned.
 */
final class Fanouts {

    private final Turn turn;
    private final Flow flow;

    Fanouts(Turn turn, Flow flow) {
        this.turn = turn;
        this.flow = flow;
    }

    void start(Frame f, Step s) {
        Fanout fo = new Fanout();
        if (s.action() instanceof Action.Foreach each) {
            JsonNode items = each.items().evaluate(turn.context(f));
            if (items == null || !items.isArray()) {
                throw new Flow.ValueError("foreach: the items must be an array, got "
                        + (items == null || items.isNull() ? "null" : items.getNodeType().name().toLowerCase()));
            }
            fo.items = items;
            fo.total = items.size();
        } else {
            fo.total = ((Action.Parallel) s.action()).branches().size();
        }
        fo.results = Turn.JSON.arrayNode(fo.total);
        for (int i = 0; i < fo.total; i++) {
            fo.results.addNull();
        }
        f.fanout = fo;
        if (s.timeout() != null) {
            flow.startTimer(f, Turn.path(f) + "/timeout", turn.at.plus(s.timeout()), Pending.Kind.STEP_TIMEOUT);
        }
        pump(f, s);
    }

    /** Starts slots up to the concurrency bound, then settles the step if it is done. */
    private void pump(Frame f, Step s) {
        Fanout fo = f.fanout;
        if (fo.pumping) {
            return; // the loop below, further up the stack, carries on
        }
        fo.pumping = true;
        try {
            int bound = s.action() instanceof Action.Foreach each ? each.concurrency() : fo.total;
            while (f.fanout == fo && !fo.decided && fo.started < fo.total && fo.running < bound) {
                startSlot(f, s, fo, fo.started++);
            }
        } finally {
            fo.pumping = false;
        }
        if (f.fanout == fo) {
            settle(f, s, fo);
        }
    }

    private void startSlot(Frame f, Step s, Fanout fo, int slot) {
        Frame c = new Frame();
        c.id = Turn.path(f) + "[" + slot + "]";
        c.parent = f.id;
        c.owner = s.name();
        c.slot = slot;
        c.data = f.data.deepCopy();
        c.writes = Turn.JSON.objectNode();
        c.caught = f.caught;
        c.itemAlias = f.itemAlias;
        c.item = f.item;
        c.index = f.index;
        List<Step> steps;
        if (s.action() instanceof Action.Foreach each) {
            c.itemAlias = each.as() == null || each.as().isBlank() ? "item" : each.as();
            c.item = fo.items.get(slot);
            c.index = slot;
            steps = each.steps();
        } else {
            steps = ((Action.Parallel) s.action()).branches().get(slot).steps();
        }
        turn.state.frames.put(c.id, c);
        fo.children.put(slot, c.id);
        fo.running++;
        if (steps.isEmpty()) {
            childEnded(c, c.writes, null);
        } else {
            flow.enter(c, steps.get(0).name());
        }
    }

    /** A branch or iteration ended: with its contribution, or with an error. */
    void childEnded(Frame c, JsonNode result, ErrorInfo error) {
        Frame f = turn.frame(c.parent);
        turn.state.frames.remove(c.id);
        Fanout fo = f.fanout;
        Step s = turn.step(f);
        fo.children.remove(c.slot);
        fo.running--;
        boolean any = s.action() instanceof Action.Parallel p && p.mode() == Action.Parallel.Mode.ANY;
        if (error == null) {
            fo.succeeded++;
            fo.results.set(c.slot, result);
            if (any && !fo.decided) {
                fo.winner = c.slot;
                decide(f, fo);
            }
        } else {
            fo.failed++;
            if (fo.firstError == null) {
                fo.firstError = error;
            }
            boolean fatal = s.action() instanceof Action.Foreach each
                    ? !each.tolerate().allows(fo.failed, fo.total)
                    : !any;
            if (fatal && !fo.decided) {
                fo.firstError = error;
                decide(f, fo);
            }
        }
        pump(f, s);
    }

    /** The step's time is up: the slots still running are abandoned and the step fails with Timeout. */
    void timedOut(Frame f, Step s) {
        Fanout fo = f.fanout;
        fo.firstError = ErrorInfo.of(ErrorInfo.TIMEOUT, "step '" + Turn.path(f) + "' timed out after " + s.timeout());
        fo.winner = -1;
        decide(f, fo);
        flow.fail(f, s, fo.firstError, null);
    }

    private void decide(Frame f, Fanout fo) {
        fo.decided = true;
        for (String id : List.copyOf(fo.children.values())) {
            Frame c = turn.frame(id);
            if (c != null) {
                flow.abandon(c, "another branch decided step '" + Turn.path(f) + "'");
            }
        }
        fo.children.clear();
        fo.running = 0;
    }

    private void settle(Frame f, Step s, Fanout fo) {
        if (fo.running > 0) {
            return;
        }
        boolean any = s.action() instanceof Action.Parallel p && p.mode() == Action.Parallel.Mode.ANY;
        if (any) {
            if (fo.winner >= 0) {
                flow.succeed(f, s, fo.results.get(fo.winner), null, Turn.data().put("winner", fo.winner));
            } else if (fo.started == fo.total) {
                flow.fail(f, s, fo.total == 0 ? ErrorInfo.of("NoBranch", "parallel any has no branch") : fo.firstError, null);
            }
        } else if (fo.decided) {
            flow.fail(f, s, fo.firstError, null);
        } else if (fo.started == fo.total) {
            flow.succeed(f, s, fo.results, null, Turn.data().put("succeeded", fo.succeeded).put("failed", fo.failed));
        }
    }
}
