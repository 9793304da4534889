package dev.tributary.dsl.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.source.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compiles the strings of a JSON tree into a {@link ValueTemplate}. */
final class TemplateCompiler {

    /** Compiles the text of one {@code ${ ... }} body, with offsets relative to that text. */
    @FunctionalInterface
    interface BodyCompiler {
        CompiledExpression compile(String body) throws ExpressionSyntaxException;
    }

    private final BodyCompiler compiler;
    private final int maxChars;
    private final List<Expression> found = new ArrayList<>();

    private TemplateCompiler(BodyCompiler compiler, int maxChars) {
        this.compiler = compiler;
        this.maxChars = maxChars;
    }

    static ValueTemplate compile(JsonNode value, BodyCompiler compiler, int maxChars) throws TemplateSyntaxException {
        TemplateCompiler c = new TemplateCompiler(compiler, maxChars);
        return new ValueTemplate(value, c.part(value, ""), c.found);
    }

    static ValueTemplate compile(String text, BodyCompiler compiler, int maxChars) throws ExpressionSyntaxException {
        TemplateCompiler c = new TemplateCompiler(compiler, maxChars);
        JsonNode raw = JsonValues.NODES.textNode(text);
        return new ValueTemplate(raw, c.string(raw), c.found);
    }

    private TemplatePart part(JsonNode node, String path) throws TemplateSyntaxException {
        if (node.isTextual()) {
            try {
                return string(node);
            } catch (ExpressionSyntaxException e) {
                throw new TemplateSyntaxException(path, e);
            }
        }
        if (node.isObject()) {
            return object(node, path);
        }
        if (node.isArray()) {
            return array(node, path);
        }
        return new TemplatePart.Constant(node);
    }

    private TemplatePart object(JsonNode node, String path) throws TemplateSyntaxException {
        Map<String, TemplatePart> fields = new LinkedHashMap<>();
        boolean constant = true;
        boolean unchanged = true;
        Iterator<Map.Entry<String, JsonNode>> entries = node.properties().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            TemplatePart child = part(entry.getValue(), Paths.field(path, entry.getKey()));
            fields.put(entry.getKey(), child);
            constant &= child instanceof TemplatePart.Constant;
            unchanged &= child instanceof TemplatePart.Constant c && c.value() == entry.getValue();
        }
        if (!constant) {
            return new TemplatePart.ObjectOf(fields);
        }
        if (unchanged) {
            return new TemplatePart.Constant(node);
        }
        ObjectNode unescaped = JsonValues.NODES.objectNode();
        fields.forEach((key, child) -> unescaped.set(key, ((TemplatePart.Constant) child).value()));
        return new TemplatePart.Constant(unescaped);
    }

    private TemplatePart array(JsonNode node, String path) throws TemplateSyntaxException {
        List<TemplatePart> elements = new ArrayList<>(node.size());
        boolean constant = true;
        boolean unchanged = true;
        for (int i = 0; i < node.size(); i++) {
            TemplatePart child = part(node.get(i), Paths.index(path, i));
            elements.add(child);
            constant &= child instanceof TemplatePart.Constant;
            unchanged &= child instanceof TemplatePart.Constant c && c.value() == node.get(i);
        }
        if (!constant) {
            return new TemplatePart.ArrayOf(elements);
        }
        if (unchanged) {
            return new TemplatePart.Constant(node);
        }
        ArrayNode unescaped = JsonValues.NODES.arrayNode(elements.size());
        elements.forEach(child -> unescaped.add(((TemplatePart.Constant) child).value()));
        return new TemplatePart.Constant(unescaped);
    }

    private TemplatePart string(JsonNode node) throws ExpressionSyntaxException {
        String text = node.textValue();
        TemplateScanner.Scan scan = TemplateScanner.scan(text);
        if (!scan.hasExpressions()) {
            return new TemplatePart.Constant(scan.escaped()
                    ? JsonValues.NODES.textNode(literalText(scan)) : node);
        }
        TemplateScanner.Body whole = wholeBody(scan, text);
        if (whole != null) {
            return new TemplatePart.Whole(compileBody(whole, text));
        }
        List<Object> pieces = new ArrayList<>();
        for (TemplateScanner.Segment segment : scan.segments()) {
            if (segment instanceof TemplateScanner.Body body) {
                pieces.add(compileBody(body, text));
            } else {
                pieces.add(((TemplateScanner.Literal) segment).text());
            }
        }
        return new TemplatePart.Interpolation(text, List.copyOf(pieces), maxChars);
    }

    private CompiledExpression compileBody(TemplateScanner.Body body, String text) throws ExpressionSyntaxException {
        try {
            CompiledExpression expression = compiler.compile(body.text());
            found.add(expression);
            return expression;
        } catch (ExpressionSyntaxException e) {
            throw e.shifted(body.offset(), text);
        }
    }

    /** The expression when the trimmed text is exactly one {@code ${ ... }}, else null. */
    private static TemplateScanner.Body wholeBody(TemplateScanner.Scan scan, String text) {
        TemplateScanner.Body only = null;
        for (TemplateScanner.Segment segment : scan.segments()) {
            if (segment instanceof TemplateScanner.Body body) {
                if (only != null) {
                    return null;
                }
                only = body;
            }
        }
        boolean alone = only != null && !scan.escaped()
                && text.substring(0, only.start()).isBlank() && text.substring(only.end()).isBlank();
        return alone ? only : null;
    }

    private static String literalText(TemplateScanner.Scan scan) {
        StringBuilder text = new StringBuilder();
        scan.segments().forEach(s -> text.append(((TemplateScanner.Literal) s).text()));
        return text.toString();
    }
}
