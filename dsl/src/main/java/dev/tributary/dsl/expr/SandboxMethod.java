package dev.tributary.dsl.expr;

import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.introspection.JexlMethod;

/**
 * A method or function scripts may call, written out by hand: the sandbox never hands JEXL a reflective
 * {@link java.lang.reflect.Method}, so nothing outside these tables is callable.
 */
final class SandboxMethod implements JexlMethod {

    /** What the call does, given its target and arguments (already counted). */
    @FunctionalInterface
    interface Body {
        Object call(Object target, Object[] args);
    }

    private final Class<?> receiver;
    private final String name;
    private final int arity;
    private final Class<?> returnType;
    private final Body body;

    SandboxMethod(Class<?> receiver, String name, int arity, Class<?> returnType, Body body) {
        this.receiver = receiver;
        this.name = name;
        this.arity = arity;
        this.returnType = returnType;
        this.body = body;
    }

    @Override
    public Object invoke(Object target, Object... args) {
        return body.call(target, args);
    }

    @Override
    public Object tryInvoke(String called, Object target, Object... args) {
        if (!name.equals(called) || !receiver.isInstance(target) || args == null || args.length != arity) {
            return JexlEngine.TRY_FAILED;
        }
        return body.call(target, args);
    }

    @Override
    public boolean tryFailed(Object result) {
        return result == JexlEngine.TRY_FAILED;
    }

    @Override
    public boolean isCacheable() {
        return true;
    }

    @Override
    public Class<?> getReturnType() {
        return returnType;
    }
}
