package dev.tributary.dsl.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.JexlInfo;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * The one place JEXL is configured. Language features are an allow-list on top of {@link JexlFeatures#createNone()}:
 * expressions, map/array literals, method calls, {@code ;}-scripts with local {@code var}s (which may be reassigned),
 * and loops; no {@code new}, pragmas, imports, annotations, namespaces, lambdas or {@code function}, no assignment to
 * the context's variables (a parse error) nor to any property (the uberspect has no setters). The engine is strict
 * (unknown methods and properties of non-objects fail) but not "safe" ({@code null.x} fails unless written
 * {@code null?.x}), while the arithmetic is lenient with null.
 */
final class SandboxedJexl {

    /** The context's variables and JEXL's own reserved words: none may be declared as a local variable. */
    static final Set<String> RESERVED = Set.of("input", "data", "event", "item", "index", "error", "run",
            "class", "jexl", "$jexl");

    private static final JexlFeatures WITHOUT_LOOPS = JexlFeatures.createNone()
            .script(true)
            .localVar(true)
            .sideEffect(true)
            .sideEffectGlobal(false)
            .arrayReferenceExpr(true)
            .methodCall(true)
            .structuredLiteral(true)
            .lexical(true)
            .loops(false)
            .reservedNames(RESERVED);

    private static final JexlFeatures WITH_LOOPS = new JexlFeatures(WITHOUT_LOOPS).loops(true);

    private final ExpressionLimits limits;
    private final JexlEngine engine;

    SandboxedJexl(ExpressionLimits limits) {
        this.limits = limits;
        SandboxArithmetic arithmetic = new SandboxArithmetic(limits.maxResultChars());
        this.engine = new JexlBuilder()
                .uberspect(new SandboxUberspect(arithmetic))
                // only a backstop: ignored while our uberspect is installed, and denies everything if it ever is not
                .permissions(JexlPermissions.NONE)
                .arithmetic(arithmetic)
                .features(WITH_LOOPS)
                .strict(true)
                .safe(false)
                .silent(false)
                .cancellable(true)
                // "antish" only so that JEXL takes the code path where a null variable followed by ?. reads as
                // null; dotted names are never defined (Evaluation#has), so nothing resolves through them
                .antish(true)
                .lexical(true)
                .lexicalShade(false)
                .booleanLogical(true)
                .stackOverflow(64)
                .cache(1024)
                .create();
    }

    ExpressionLimits limits() {
        return limits;
    }

    /**
     * Compiles the text of one expression ({@code text} as written; offsets in errors point into it). A script
     * without loops is marked as such: it cannot run unbounded, so it needs no watchdog.
     */
    CompiledExpression compile(String text) throws ExpressionSyntaxException {
        int begin = 0;
        int end = text.length();
        while (begin < end && Character.isWhitespace(text.charAt(begin))) {
            begin++;
        }
        while (end > begin && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        String source = text.substring(begin, end);
        if (source.isEmpty()) {
            throw new ExpressionSyntaxException("empty expression", begin, text);
        }
        int tick = TemplateScanner.backtick(source);
        if (tick >= 0) {
            throw new ExpressionSyntaxException("template literals (`...`) are not supported; join text with +",
                    begin + tick, text);
        }
        try {
            try {
                return new CompiledExpression(source, parse(source, WITHOUT_LOOPS), false, this);
            } catch (JexlException.Feature | IndexOutOfBoundsException loopsPerhaps) {
                // JEXL's feature check can itself fail on some loop shapes (for(;;)): retry with loops on
                return new CompiledExpression(source, parse(source, WITH_LOOPS), true, this);
            }
        } catch (JexlException e) {
            throw new ExpressionSyntaxException(FailureMessages.syntax(e), begin + offset(source, e.getInfo()), text);
        } catch (StackOverflowError e) {
            throw new ExpressionSyntaxException("expression is nested too deeply", begin, text);
        } catch (RuntimeException e) {
            throw new ExpressionSyntaxException("cannot parse this expression", begin, text);
        }
    }

    private JexlScript parse(String source, JexlFeatures features) {
        return engine.createScript(features, new JexlInfo("expression", 1, 1), source);
    }

    /** The offset in {@code source} of a 1-based line and column. */
    private static int offset(String source, JexlInfo info) {
        if (info == null || info.getLine() < 1) {
            return 0;
        }
        List<Integer> lineStarts = new ArrayList<>();
        lineStarts.add(0);
        for (int i = 0; i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                lineStarts.add(i + 1);
            }
        }
        int line = Math.min(info.getLine(), lineStarts.size()) - 1;
        int offset = lineStarts.get(line) + Math.max(0, info.getColumn() - 1);
        return Math.min(offset, source.length());
    }
}
