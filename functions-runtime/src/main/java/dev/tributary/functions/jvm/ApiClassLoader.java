package dev.tributary.functions.jvm;

import dev.tributary.functions.api.Handler;

/**
 * The parent of every Java function's class loader: what a function sees of the server. That is
 * the JDK (the platform class loader), the {@code dev.tributary.functions.api} package and Jackson
 * ({@code com.fasterxml.jackson.*}, so that {@code JsonNode} is one type on both sides) — and
 * nothing else: Vert.x, H2, the engine and the rest of the server's class path are invisible
 * ({@code ClassNotFoundException}). A function bundling its own copy of Jackson or of the api gets
 * the server's, since loading asks the parent first.
 *
 * <p>This separates names, not privileges: code in the same JVM can still call the JDK freely
 * (files, sockets, {@code System.exit}); the security manager that once fenced that is deprecated.
 */
final class ApiClassLoader extends ClassLoader {

    static final String API_PACKAGE = Handler.class.getPackageName();
    private static final String JACKSON_PREFIX = "com.fasterxml.jackson.";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader server;

    /** @param server the loader that loaded the api and Jackson classes */
    ApiClassLoader(ClassLoader server) {
        super("tributary-function-api", ClassLoader.getPlatformClassLoader());
        this.server = server;
    }

    static ApiClassLoader ofServer() {
        return new ApiClassLoader(Handler.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return server.loadClass(name);
        }
        return super.loadClass(name, resolve); // the JDK, or ClassNotFoundException
    }

    /** The api package itself (not packages below it) and all of Jackson. */
    static boolean isShared(String className) {
        if (className.startsWith(JACKSON_PREFIX)) {
            return true;
        }
        int lastDot = className.lastIndexOf('.');
        return lastDot == API_PACKAGE.length() && className.startsWith(API_PACKAGE);
    }
}
