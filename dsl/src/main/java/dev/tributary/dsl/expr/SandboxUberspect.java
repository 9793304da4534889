package dev.tributary.dsl.expr;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.jexl3.JexlArithmetic;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlOperator;
import org.apache.commons.jexl3.introspection.JexlMethod;
import org.apache.commons.jexl3.introspection.JexlPropertyGet;
import org.apache.commons.jexl3.introspection.JexlPropertySet;
import org.apache.commons.jexl3.introspection.JexlUberspect;

/**
 * How JEXL reaches into values, closed to everything but a written-out list. No reflection at all: properties are
 * map keys and list indexes only (so {@code x.class}, {@code x.getClass()}, bean getters and fields do not exist);
 * methods are the ones in {@link StringMethods}, {@link ContainerMethods} and {@link Builtins}; no constructor, no
 * class lookup by name, no property is ever settable, and nothing is iterable but arrays, objects and ranges. This
 * replaces {@code JexlPermissions}-based introspection rather than filtering it: there is no path from a script to
 * a {@link Class}.
 */
final class SandboxUberspect implements JexlUberspect {

    private final StringMethods strings;
    private final ContainerMethods containers;
    private final Builtins builtins;

    SandboxUberspect(SandboxArithmetic arithmetic) {
        this.strings = new StringMethods(arithmetic);
        this.containers = new ContainerMethods(arithmetic);
        this.builtins = new Builtins(arithmetic);
    }

    @Override
    public JexlMethod getMethod(Object target, String name, Object... args) {
        if (target == null || name == null) {
            return null;
        }
        int arity = args == null ? 0 : args.length;
        if (target instanceof String) {
            return strings.find(name, arity);
        }
        if (target instanceof Evaluation) {
            // a function call without namespace: JEXL first looks for it on the context
            return builtins.find(name, arity);
        }
        return containers.find(target, name, arity);
    }

    @Override
    public JexlPropertyGet getPropertyGet(Object target, Object key) {
        if (target instanceof Map<?, ?>) {
            return new MapGet(key);
        }
        if (target instanceof List<?> && key instanceof Number n && n.doubleValue() == n.longValue()) {
            return new ListGet(n.longValue());
        }
        return null;
    }

    @Override
    public JexlPropertyGet getPropertyGet(List<PropertyResolver> resolvers, Object target, Object key) {
        return getPropertyGet(target, key);
    }

    @Override
    public JexlPropertySet getPropertySet(Object target, Object key, Object value) {
        return null;
    }

    @Override
    public JexlPropertySet getPropertySet(List<PropertyResolver> resolvers, Object target, Object key, Object value) {
        return null;
    }

    @Override
    public Iterator<?> getIterator(Object target) {
        if (target instanceof Map<?, ?> map) {
            return map.values().iterator();
        }
        if (target instanceof Iterable<?> iterable) {
            return iterable.iterator();
        }
        if (target instanceof Object[] array) {
            return List.of(array).iterator();
        }
        return null;
    }

    @Override
    public JexlMethod getConstructor(Object ctorHandle, Object... args) {
        return null;
    }

    @Override
    public Class<?> getClassByName(String className) {
        return null;
    }

    @Override
    public JexlArithmetic.Uberspect getArithmetic(JexlArithmetic arithmetic) {
        return null;
    }

    @Override
    public List<PropertyResolver> getResolvers(JexlOperator operator, Object target) {
        return null;
    }

    @Override
    public ClassLoader getClassLoader() {
        return SandboxUberspect.class.getClassLoader();
    }

    @Override
    public void setClassLoader(ClassLoader loader) {
        // the sandbox loads no classes
    }

    @Override
    public int getVersion() {
        return 1;
    }

    /** {@code object.key} and {@code object['key']}. */
    private static final class MapGet extends CacheableGet {
        private final Object key;

        MapGet(Object key) {
            this.key = key;
        }

        @Override
        public Object invoke(Object target) {
            return ((Map<?, ?>) target).get(key);
        }

        @Override
        public Object tryInvoke(Object target, Object called) {
            return target instanceof Map<?, ?> map && Objects.equals(key, called) ? map.get(key) : JexlEngine.TRY_FAILED;
        }

    }

    /** {@code array[i]}: null when out of range. */
    private static final class ListGet extends CacheableGet {
        private final long index;

        ListGet(long index) {
            this.index = index;
        }

        @Override
        public Object invoke(Object target) {
            List<?> list = (List<?>) target;
            return index >= 0 && index < list.size() ? list.get((int) index) : null;
        }

        @Override
        public Object tryInvoke(Object target, Object called) {
            if (target instanceof List<?> && called instanceof Number n && n.doubleValue() == index) {
                return invoke(target);
            }
            return JexlEngine.TRY_FAILED;
        }

    }

    /** What every sandbox getter shares: results are cached per call site, and a miss is JEXL's marker. */
    private abstract static class CacheableGet implements JexlPropertyGet {
        @Override
        public boolean tryFailed(Object result) {
            return result == JexlEngine.TRY_FAILED;
        }

        @Override
        public boolean isCacheable() {
            return true;
        }
    }
}
