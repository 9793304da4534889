package dev.tributary.functions.jvm;

import dev.tributary.functions.api.Handler;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One warm Java function: a class loader of its own over the function's code and one instance of
 * its handler class. Each instance has its own class loader, so statics are per instance like
 * module globals are per python or node worker, and closing it releases the jars.
 */
final class HandlerInstance implements AutoCloseable {

    private final URLClassLoader loader;
    private final Handler handler;

    private HandlerInstance(URLClassLoader loader, Handler handler) {
        this.loader = loader;
        this.handler = handler;
    }

    /**
     * Loads {@code className} from the {@code *.jar} files directly in {@code codeDirectory}, or
     * from the directory itself as a class-file root when it holds no jar, and makes an instance
     * with its public no-argument constructor (running the class's static initialisers).
     *
     * @throws HandlerLoadException naming the function, the class and what is wrong
     */
    static HandlerInstance load(String functionName, String className, Path codeDirectory, ClassLoader parent)
            throws HandlerLoadException {
        List<URL> urls = classPath(functionName, codeDirectory);
        URLClassLoader loader = new URLClassLoader("function " + functionName, urls.toArray(URL[]::new), parent);
        String expected = "Expected java function '" + functionName + "' to have a handler class '" + className + "'";
        try {
            Class<?> type = Class.forName(className, true, loader);
            if (!Handler.class.isAssignableFrom(type)) {
                throw new HandlerLoadException(expected + " implementing " + Handler.class.getName() + ", but it does not");
            }
            Handler handler = (Handler) type.getConstructor().newInstance();
            return new HandlerInstance(loader, handler);
        } catch (ClassNotFoundException e) {
            throw closing(loader, new HandlerLoadException(expected + " in " + urls + ", but there is none"));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw closing(loader, new HandlerLoadException(expected + " with a public constructor without arguments, but it has none"));
        } catch (InvocationTargetException | ExceptionInInitializerError e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw closing(loader, new HandlerLoadException(expected + " that can be made, but making it threw " + cause));
        } catch (InstantiationException e) {
            throw closing(loader, new HandlerLoadException(expected + " that is a concrete class, but it is abstract"));
        } catch (LinkageError e) {
            throw closing(loader, new HandlerLoadException(expected + " that links against what a function can see "
                    + "(the JDK, " + ApiClassLoader.API_PACKAGE + " and Jackson), but " + e));
        } catch (HandlerLoadException e) {
            throw closing(loader, e);
        }
    }

    Handler handler() {
        return handler;
    }

    ClassLoader loader() {
        return loader;
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            // A jar that cannot be closed stays open until the loader is collected; nothing to do about it here.
        }
    }

    private static List<URL> classPath(String functionName, Path directory) throws HandlerLoadException {
        try (Stream<Path> entries = Files.list(directory)) {
            List<URL> jars = new ArrayList<>();
            for (Path jar : entries.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
            return jars.isEmpty() ? List.of(directory.toUri().toURL()) : jars;
        } catch (IOException e) {
            throw new HandlerLoadException("Expected to read the code of java function '" + functionName + "' in "
                    + directory + ", but " + e);
        }
    }

    private static HandlerLoadException closing(URLClassLoader loader, HandlerLoadException e) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // Reporting the load failure matters more.
        }
        return e;
    }

    /** The handler class could not be loaded or made. */
    static final class HandlerLoadException extends Exception {
        private static final long serialVersionUID = 1L;

        HandlerLoadException(String message) {
            super(message);
        }
    }
}
