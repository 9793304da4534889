package dev.tributary.dsl.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.expr.ValueTemplate;
import dev.tributary.dsl.model.FunctionCode;
import dev.tributary.dsl.model.FunctionDef;
import dev.tributary.dsl.model.FunctionDef.Runtime;
import dev.tributary.dsl.model.FunctionLimits;
import dev.tributary.dsl.model.HttpTarget;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a {@code function:} document (SPEC §2.3). */
final class FunctionReader {

    static final List<String> FIELDS = List.of("function", "description", "runtime", "source", "code", "code-sha256",
            "handler", "memory", "timeout", "concurrency", "keep-warm", "env", "url", "method", "headers", "expr");

    private static final Pattern MODULE_HANDLER = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*");
    private static final Pattern JAVA_CLASS = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+|[A-Z][\\w$]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<Runtime> CODED = EnumSet.of(Runtime.PYTHON, Runtime.NODE, Runtime.JAVA, Runtime.PROCESS);

    private FunctionReader() {
    }

    static FunctionDef read(Fields f) {
        int before = f.report().count();
        String name = f.name("function", Names.FUNCTION, Names.FUNCTION_RULE);
        String description = f.string("description");
        if (f.missing("runtime", "one of python, node, java, process, http, expr")) {
            f.rejectUnknown("a function", FIELDS);
            return null;
        }
        Runtime runtime = f.choice("runtime", Runtime.class, null);
        if (runtime == null) {
            f.rejectUnknown("a function", FIELDS);
            return null;
        }
        String source = f.string("source");
        String codePath = f.string("code");
        String codeSha256 = codeSha256(f, runtime, codePath);
        String handler = f.string("handler");
        FunctionLimits limits = limits(f);
        Map<String, ValueTemplate> env = env(f);
        String url = f.string("url");
        String method = f.string("method");
        Map<String, ValueTemplate> headers = headers(f);
        ValueTemplate expr = f.template("expr");
        f.rejectUnread("a function", FIELDS);

        String rt = "a " + runtime.key() + " function";
        if (!CODED.contains(runtime)) {
            only(f, rt, "source", "code", "code-sha256", "handler");
        }
        if (runtime != Runtime.HTTP) {
            only(f, rt, "url", "method", "headers");
        }
        if (runtime != Runtime.EXPR) {
            only(f, rt, "expr");
        }
        FunctionCode code = FunctionCode.NONE;
        switch (runtime) {
            case PYTHON, NODE -> {
                if (source != null && codePath != null) {
                    f.report().atKey(f.at("code"), rt + " has either inline 'source' or a 'code' path, not both");
                } else if (source == null && codePath == null && !f.has("source") && !f.has("code")) {
                    f.report().atValue(f.path(), rt + " needs its code: inline 'source' or a 'code' path");
                }
                code = source != null ? FunctionCode.inline(source) : codePath != null ? FunctionCode.path(codePath) : FunctionCode.NONE;
                if (handler == null) {
                    handler = "main";
                } else if (!MODULE_HANDLER.matcher(handler).matches()) {
                    f.report().atValue(f.at("handler"), "'" + handler + "' is not a handler: write [module.]function, e.g. main or app.handler");
                }
            }
            case JAVA -> {
                if (source != null) {
                    f.report().atKey(f.at("source"), "a java function is a compiled jar: give 'code: path/to/function.jar', not inline source");
                }
                if (codePath == null && !f.has("code")) {
                    f.report().atValue(f.path(), "missing required field 'code' (the jar holding the handler class)");
                }
                if (handler == null && !f.has("handler")) {
                    f.report().atValue(f.path(), "missing required field 'handler' (the class implementing dev.tributary.functions.api.Handler)");
                } else if (handler != null && !JAVA_CLASS.matcher(handler).matches()) {
                    f.report().atValue(f.at("handler"), "'" + handler + "' is not a Java class name, e.g. com.example.Charge");
                }
                code = codePath == null ? FunctionCode.NONE : FunctionCode.path(codePath);
            }
            case PROCESS -> {
                if (source != null) {
                    f.report().atKey(f.at("source"), "a process function runs a command: put scripts in 'code' and the command line in 'handler'");
                }
                if (handler == null && !f.has("handler")) {
                    f.report().atValue(f.path(), "missing required field 'handler' (the command line to run)");
                } else if (handler != null && handler.isBlank()) {
                    f.report().atValue(f.at("handler"), "'handler' is the command line to run and cannot be blank");
                }
                code = codePath == null ? FunctionCode.NONE : FunctionCode.path(codePath);
            }
            case HTTP -> checkUrl(f, url);
            case EXPR -> {
                if (expr == null && !f.has("expr")) {
                    f.report().atValue(f.path(), "missing required field 'expr' (an expression over input, e.g. ${ input.a + input.b })");
                }
            }
        }
        if (method != null && !METHODS.contains(method)) {
            f.report().atValue(f.at("method"), "'method' must be one of GET, POST, PUT, PATCH, DELETE, got '" + method + "'");
        }
        if (f.report().count() > before || name == null) {
            return null;
        }
        if (codeSha256 != null && code.isPath()) {
            code = code.withSha256(codeSha256);
        }
        HttpTarget http = runtime == Runtime.HTTP ? new HttpTarget(url, method == null ? "POST" : method, headers) : null;
        return new FunctionDef(name, description, runtime, code, runtime == Runtime.HTTP || runtime == Runtime.EXPR ? null : handler,
                limits, env, http, expr);
    }

    /**
     * The digest the server adds to a stored function with a {@code code} path; a user may leave it
     * out (the server sets it to the digest of the code uploaded with the deploy).
     */
    private static String codeSha256(Fields f, Runtime runtime, String codePath) {
        String digest = f.string("code-sha256");
        if (digest == null || !CODED.contains(runtime)) {
            return null; // runtimes without code say 'does not apply'
        }
        if (codePath == null && !f.has("code")) {
            f.report().atKey(f.at("code-sha256"), "'code-sha256' is the digest of uploaded 'code' and needs a 'code' path");
            return null;
        }
        if (!FunctionCode.SHA256.matcher(digest).matches()) {
            f.report().atValue(f.at("code-sha256"), "'code-sha256' must be 64 lowercase hex digits (the SHA-256 the server "
                    + "computed for the uploaded code; leave it out, the server sets it), got '" + digest + "'");
            return null;
        }
        return digest;
    }

    private static void only(Fields f, String what, String... keys) {
        for (String key : keys) {
            if (f.has(key)) {
                f.report().atKey(f.at(key), "'" + key + "' does not apply to " + what);
            }
        }
    }

    private static void checkUrl(Fields f, String url) {
        if (url == null) {
            if (!f.has("url")) {
                f.report().atValue(f.path(), "missing required field 'url' (where an http function sends its input)");
            }
            return;
        }
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                f.report().atValue(f.at("url"), "'" + url + "' is not an http:// or https:// URL with a host");
            }
        } catch (URISyntaxException e) {
            f.report().atValue(f.at("url"), "'" + url + "' is not a URL: " + e.getReason());
        }
    }

    private static FunctionLimits limits(Fields f) {
        FunctionLimits d = FunctionLimits.defaults();
        Integer memory = f.integer("memory", FunctionLimits.MIN_MEMORY_MB, FunctionLimits.MAX_MEMORY_MB);
        var timeout = f.duration("timeout", FunctionLimits.MAX_TIMEOUT);
        Integer concurrency = f.integer("concurrency", 1, FunctionLimits.MAX_CONCURRENCY);
        var keepWarm = f.duration("keep-warm", null);
        return new FunctionLimits(
                memory == null ? d.memoryMb() : memory,
                timeout == null ? d.timeout() : timeout,
                concurrency == null ? d.concurrency() : concurrency,
                keepWarm == null ? d.keepWarm() : keepWarm);
    }

    private static Map<String, ValueTemplate> env(Fields f) {
        return textMap(f, "env", ENV_NAME, "an environment variable name (letters, digits, '_')");
    }

    private static Map<String, ValueTemplate> headers(Fields f) {
        return textMap(f, "headers", Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+"), "an HTTP header name");
    }

    private static Map<String, ValueTemplate> textMap(Fields f, String key, Pattern keyPattern, String keyRule) {
        Map<String, ValueTemplate> out = new LinkedHashMap<>();
        Fields entries = f.child(key, "'" + key + "'");
        if (entries == null) {
            return out;
        }
        JsonNode object = f.get(key);
        object.fields().forEachRemaining(e -> {
            String path = entries.at(e.getKey());
            entries.get(e.getKey());
            if (!keyPattern.matcher(e.getKey()).matches()) {
                f.report().atKey(path, "'" + e.getKey() + "' is not " + keyRule);
            } else if (!e.getValue().isTextual()) {
                f.report().atValue(path, "expected text, got " + Json.describe(e.getValue()) + " (quote it)");
            } else {
                ValueTemplate t = entries.template(e.getValue(), path);
                if (t != null) {
                    out.put(e.getKey(), t);
                }
            }
        });
        return out;
    }
}
