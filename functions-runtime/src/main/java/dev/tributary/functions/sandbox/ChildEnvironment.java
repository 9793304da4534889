package dev.tributary.functions.sandbox;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole environment a function's process gets (SPEC §3): a fixed {@code PATH}, {@code HOME}
 * set to the worker's scratch directory, {@code LANG}, and the function's declared {@code env} —
 * nothing of the server's own environment, so its secrets and settings never leak.
 */
public final class ChildEnvironment {

    public static final String PATH = "/usr/local/bin:/usr/bin:/bin";
    public static final String LANG = "C.UTF-8";

    private ChildEnvironment() {
    }

    /** The environment for a process whose scratch directory is {@code home}; declared entries win over the base three. */
    public static Map<String, String> of(Path home, Map<String, String> declared) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", home.toString());
        env.put("LANG", LANG);
        env.putAll(declared);
        return env;
    }

    /** Replaces {@code builder}'s inherited environment with {@link #of}. */
    public static ProcessBuilder apply(ProcessBuilder builder, Path home, Map<String, String> declared) {
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(of(home, declared));
        return builder;
    }
}
