package dev.tributary.dsl.expr;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The methods scripts may call on JSON objects and arrays (and on the ones they build): reading only. Every
 * mutator ({@code put}, {@code add}, {@code remove}, {@code clear}...) is absent.
 */
final class ContainerMethods {

    private final Map<String, SandboxMethod> onMaps = new HashMap<>();
    private final Map<String, SandboxMethod> onLists = new HashMap<>();
    private final Map<String, SandboxMethod> onCollections = new HashMap<>();

    ContainerMethods(SandboxArithmetic arithmetic) {
        Weight weight = arithmetic.weight();
        define(onMaps, Map.class, "size", 0, Integer.class, (m, a) -> ((Map<?, ?>) m).size());
        define(onMaps, Map.class, "isEmpty", 0, Boolean.class, (m, a) -> ((Map<?, ?>) m).isEmpty());
        define(onMaps, Map.class, "containsKey", 1, Boolean.class, (m, a) -> ((Map<?, ?>) m).containsKey(a[0]));
        define(onMaps, Map.class, "get", 1, Object.class, (m, a) -> ((Map<?, ?>) m).get(a[0]));
        define(onMaps, Map.class, "keySet", 0, List.class, (m, a) -> ScriptList.of(((Map<?, ?>) m).keySet(), weight));
        define(onMaps, Map.class, "values", 0, List.class, (m, a) -> ScriptList.of(((Map<?, ?>) m).values(), weight));

        for (Map<String, SandboxMethod> table : List.of(onLists, onCollections)) {
            Class<?> type = table == onLists ? List.class : Collection.class;
            define(table, type, "size", 0, Integer.class, (c, a) -> ((Collection<?>) c).size());
            define(table, type, "isEmpty", 0, Boolean.class, (c, a) -> ((Collection<?>) c).isEmpty());
            define(table, type, "contains", 1, Boolean.class, (c, a) -> Boolean.TRUE.equals(arithmetic.contains(c, a[0])));
        }
        define(onLists, List.class, "get", 1, Object.class, (l, a) -> {
            List<?> list = (List<?>) l;
            int i = arithmetic.toInteger(a[0]);
            return i >= 0 && i < list.size() ? list.get(i) : null;
        });
        define(onLists, List.class, "indexOf", 1, Integer.class, (l, a) -> {
            List<?> list = (List<?>) l;
            for (int i = 0; i < list.size(); i++) {
                Object element = list.get(i);
                if (element == null ? a[0] == null : a[0] != null && arithmetic.equals(element, a[0])) {
                    return i;
                }
            }
            return -1;
        });
    }

    /** The method for {@code target}, or null when it is not on the list. */
    SandboxMethod find(Object target, String name, int arity) {
        String key = name + '/' + arity;
        if (target instanceof Map<?, ?>) {
            return onMaps.get(key);
        }
        if (target instanceof List<?>) {
            return onLists.get(key);
        }
        if (target instanceof Collection<?>) {
            return onCollections.get(key);
        }
        return null;
    }

    private static void define(Map<String, SandboxMethod> table, Class<?> receiver, String name, int arity,
                               Class<?> returnType, SandboxMethod.Body body) {
        table.put(name + '/' + arity, new SandboxMethod(receiver, name, arity, returnType, body));
    }
}
