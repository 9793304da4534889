package dev.tributary.dsl.load;

import dev.tributary.dsl.model.Action;
import dev.tributary.dsl.model.Catcher;
import dev.tributary.dsl.model.Step;
import dev.tributary.dsl.source.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the control flow of each list of steps: every jump names a step of the same list,
 * every step can be reached from the first, and no loop lacks a step that waits (it would spin).
 */
final class FlowCheck {

    private final Report report;
    private final Map<String, String> allNames;

    FlowCheck(Report report, Map<String, String> allNames) {
        this.report = report;
        this.allNames = allNames;
    }

    void check(List<Step> steps, String path) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            index.putIfAbsent(steps.get(i).name(), i);
        }
        List<Set<Integer>> edges = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            edges.add(successors(steps, i, index, Paths.index(path, i)));
        }
        reachability(steps, edges, path);
        loops(steps, edges, path);
        for (int i = 0; i < steps.size(); i++) {
            String stepPath = Paths.index(path, i);
            Action action = steps.get(i).action();
            if (action instanceof Action.Parallel p) {
                for (int b = 0; b < p.branches().size(); b++) {
                    check(p.branches().get(b).steps(), Paths.field(Paths.index(Paths.field(Paths.field(stepPath, "parallel"), "branches"), b), "steps"));
                }
            } else if (action instanceof Action.Foreach f) {
                check(f.steps(), Paths.field(stepPath, "steps"));
            }
        }
    }

    private Set<Integer> successors(List<Step> steps, int i, Map<String, Integer> index, String stepPath) {
        Step step = steps.get(i);
        Set<Integer> out = new LinkedHashSet<>();
        Action action = step.action();
        Integer following = step.end() || i + 1 >= steps.size() ? null : i + 1;
        Integer after = following;
        if (step.next() != null) {
            // An unknown target is reported once; going on as if absent avoids a cascade of "unreachable".
            Integer named = target(step.next(), index, Paths.field(stepPath, "next"));
            after = named != null ? named : following;
        }
        if (step.condition() != null) {
            add(out, after); // a skipped step continues as if it had succeeded
        }
        if (action instanceof Action.Succeed || action instanceof Action.Fail) {
            return out;
        }
        if (action instanceof Action.Switch s) {
            for (int c = 0; c < s.cases().size(); c++) {
                add(out, target(s.cases().get(c).next(), index, Paths.field(Paths.index(Paths.field(stepPath, "switch"), c), "next")));
            }
            if (s.defaultNext() != null) {
                int d = s.cases().size();
                add(out, target(s.defaultNext(), index, Paths.field(Paths.index(Paths.field(stepPath, "switch"), d), "default")));
            } else {
                add(out, after);
            }
        } else {
            add(out, after);
        }
        List<Catcher> catchers = step.catchers();
        for (int c = 0; c < catchers.size(); c++) {
            if (catchers.get(c).next() != null) {
                add(out, target(catchers.get(c).next(), index, Paths.field(Paths.index(Paths.field(stepPath, "catch"), c), "next")));
            }
        }
        return out;
    }

    private static void add(Set<Integer> out, Integer target) {
        if (target != null) {
            out.add(target);
        }
    }

    private Integer target(String name, Map<String, Integer> index, String path) {
        Integer i = index.get(name);
        if (i != null) {
            return i;
        }
        String elsewhere = allNames.get(name);
        if (elsewhere != null) {
            report.atValue(path, "step '" + name + "' is in another list of steps (" + elsewhere
                    + "); a jump can only go to a step of the same list");
        } else {
            report.atValue(path, "unknown step '" + name + "'" + Suggestions.hint(name, index.keySet()));
        }
        return null;
    }

    private void reachability(List<Step> steps, List<Set<Integer>> edges, String path) {
        boolean[] seen = new boolean[steps.size()];
        Deque<Integer> todo = new ArrayDeque<>(List.of(0));
        seen[0] = true;
        while (!todo.isEmpty()) {
            for (int next : edges.get(todo.pop())) {
                if (!seen[next]) {
                    seen[next] = true;
                    todo.push(next);
                }
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            if (!seen[i]) {
                report.atValue(Paths.index(path, i), "step '" + steps.get(i).name() + "' can never be reached: the step before it "
                        + "never continues to it and no next, switch or catch names it");
            }
        }
    }

    /** Tarjan's strongly connected components; a component that loops and never waits is reported once. */
    private void loops(List<Step> steps, List<Set<Integer>> edges, String path) {
        int n = steps.size();
        int[] order = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        java.util.Arrays.fill(order, -1);
        Deque<Integer> stack = new ArrayDeque<>();
        int[] counter = {0};
        for (int i = 0; i < n; i++) {
            if (order[i] < 0) {
                strongConnect(i, edges, order, low, onStack, stack, counter, steps, path);
            }
        }
    }

    private void strongConnect(int v, List<Set<Integer>> edges, int[] order, int[] low, boolean[] onStack, Deque<Integer> stack,
                               int[] counter, List<Step> steps, String path) {
        order[v] = low[v] = counter[0]++;
        stack.push(v);
        onStack[v] = true;
        for (int w : edges.get(v)) {
            if (order[w] < 0) {
                strongConnect(w, edges, order, low, onStack, stack, counter, steps, path);
                low[v] = Math.min(low[v], low[w]);
            } else if (onStack[w]) {
                low[v] = Math.min(low[v], order[w]);
            }
        }
        if (low[v] != order[v]) {
            return;
        }
        List<Integer> component = new ArrayList<>();
        int w;
        do {
            w = stack.pop();
            onStack[w] = false;
            component.add(w);
        } while (w != v);
        boolean loops = component.size() > 1 || edges.get(v).contains(v);
        if (loops && component.stream().noneMatch(i -> StepReader.makesProgress(steps.get(i)))) {
            component.sort(Integer::compare);
            String names = component.stream().map(i -> steps.get(i).name()).collect(Collectors.joining(" -> "));
            report.atValue(Paths.index(path, component.get(0)), "steps " + names + " -> " + steps.get(component.get(0)).name()
                    + " form a loop with no wait, call or workflow step in it; it would spin forever");
        }
    }
}
