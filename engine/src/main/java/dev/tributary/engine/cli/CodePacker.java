package dev.tributary.engine.cli;

import dev.tributary.dsl.expr.Expressions;
import dev.tributary.dsl.load.DefinitionLoader;
import dev.tributary.dsl.load.LoadResult;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.dsl.source.DefinitionParser;
import dev.tributary.dsl.source.ParseLimits;
import dev.tributary.dsl.source.SourceDocument;
import dev.tributary.engine.node.CodeReference;
import dev.tributary.engine.node.CodeUpload;
import dev.tributary.functions.code.CodeArchive;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Packs the code that the functions of a deploy set name with {@code code:}, one upload per code
 * path, named as the server will look for it: the path resolved against the name the definition
 * file travels under ({@link CodeUpload#resolve}). A set that does not load is sent without code:
 * the server reports its problems.
 */
final class CodePacker {

    /** Every {@code code:} path with a file is one the server can check; references to deployed names do not matter here. */
    private static final DefinitionLoader LOADER = new DefinitionLoader(Expressions.sandboxed(), ParseLimits.defaults());
    private static final DefinitionParser PARSER = new DefinitionParser(ParseLimits.defaults());

    private CodePacker() {
    }

    /** Code that could not be packed: one {@code file:line:col: code: message} line per function. */
    static final class Unpackable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<String> problems;

        Unpackable(List<String> problems) {
            super(String.join("\n", problems), null, false, false);
            this.problems = List.copyOf(problems);
        }

        List<String> problems() {
            return problems;
        }
    }

    /**
     * @param files    the definition files, named as the user gave them
     * @param wireName the name each file travels under
     * @param base     what relative file names are relative to ({@code trib deploy}: the working directory)
     * @throws Unpackable naming every function whose code is missing or cannot be packed
     */
    static List<CodeUpload> pack(List<SourceText> files, UnaryOperator<String> wireName, Path base) {
        LoadResult loaded = LOADER.load(files, (kind, name) -> true);
        if (!loaded.ok()) {
            return List.of();
        }
        List<SourceDocument> documents = new ArrayList<>();
        files.forEach(file -> documents.addAll(PARSER.parse(file.name(), file.text()).documents()));
        Map<String, Path> sources = new LinkedHashMap<>();
        Map<String, CodeUpload> uploads = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (CodeReference reference : CodeReference.in(documents, loaded.definitions())) {
            String uploadPath = CodeUpload.resolve(wireName.apply(reference.file()), reference.path());
            Path local = local(base, reference);
            Path earlier = sources.putIfAbsent(uploadPath, local.toAbsolutePath().normalize());
            if (earlier != null) {
                if (!earlier.equals(local.toAbsolutePath().normalize())) {
                    problems.add(problem(reference, "'" + reference.path() + "' (" + local + ") travels as '" + uploadPath
                            + "', like the code at " + earlier + "; move one of the definition files"));
                }
                continue;
            }
            if (!DeployCommand.fitsFilename(uploadPath)) {
                problems.add(problem(reference, "the code path '" + uploadPath + "' cannot travel as a multipart filename "
                        + "(it holds \" \\ : ; , = or control characters, or is longer than 255); rename it"));
                continue;
            }
            try {
                uploads.put(uploadPath, new CodeUpload(uploadPath, CodeArchive.pack(local).bytes()));
            } catch (NoSuchFileException e) {
                problems.add(problem(reference, "no file or directory at " + local + " (the 'code' path, relative to "
                        + reference.file() + ")"));
            } catch (IOException e) {
                problems.add(problem(reference, "cannot pack " + local + ": " + e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new Unpackable(problems);
        }
        return List.copyOf(uploads.values());
    }

    /** The code on this machine: the {@code code:} path relative to the directory of its definition file. */
    private static Path local(Path base, CodeReference reference) {
        Path parent = base.resolve(reference.file()).getParent();
        return parent == null ? base.resolve(reference.path()) : parent.resolve(reference.path());
    }

    private static String problem(CodeReference reference, String message) {
        return reference.location() + ": " + CodeReference.FIELD + ": " + message;
    }
}
