package dev.tributary.engine.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.dsl.source.Problem;
import dev.tributary.engine.store.CodeStore;
import dev.tributary.functions.code.ArchiveLimits;
import dev.tributary.functions.code.ArchiveUnpacker;
import dev.tributary.functions.code.CodeArchive;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The code uploaded with a deploy, matched to the functions that name it: every {@code code:} path
 * must have its upload, every upload must be named by a function, and each archive must unpack
 * safely. Then the archives are stored by digest, before any definition names them.
 */
final class UploadedCode {

    private final CodeStore store;
    private final ArchiveLimits limits;

    UploadedCode(CodeStore store, ArchiveLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    /**
     * Checks and stores the code of a valid deploy set.
     *
     * @return the digest of each referring definition's code, by the definition's index in the set
     * @throws EngineException INVALID_DEFINITION at each function whose code is missing or unusable;
     *                         BAD_REQUEST for uploads no function names
     */
    Map<Integer, String> store(List<CodeReference> references, List<CodeUpload> uploads) {
        Map<String, CodeUpload> byPath = byPath(uploads);
        Map<String, String> digests = new HashMap<>();
        Map<Integer, String> byDefinition = new LinkedHashMap<>();
        Set<String> used = new LinkedHashSet<>();
        List<Problem> problems = new ArrayList<>();
        for (CodeReference reference : references) {
            String path = reference.uploadPath();
            CodeUpload upload = byPath.get(path);
            if (upload == null) {
                problems.add(problem(reference, "the deploy carries no code for '" + path + "' (this 'code' path, relative to "
                        + reference.file() + "): deploy with 'trib deploy', which uploads each function's code, or add a "
                        + "multipart part named 'code' with filename '" + path + "'" + otherUploads(byPath, references)));
                continue;
            }
            used.add(path);
            String digest = digests.computeIfAbsent(path, p -> check(upload));
            if (digest.isEmpty()) {
                problems.add(problem(reference, unusable(upload)));
            } else {
                byDefinition.put(reference.index(), digest);
            }
        }
        if (!problems.isEmpty()) {
            throw Definitions.invalid(problems);
        }
        List<String> unused = byPath.keySet().stream().filter(path -> !used.contains(path)).toList();
        if (!unused.isEmpty()) {
            throw unusedUploads(unused);
        }
        for (String path : used) {
            store.put(digests.get(path), byPath.get(path).bytes());
        }
        return byDefinition;
    }

    private static Map<String, CodeUpload> byPath(List<CodeUpload> uploads) {
        Map<String, CodeUpload> byPath = new LinkedHashMap<>();
        for (CodeUpload upload : uploads) {
            String path = CodeUpload.normalise(upload.path());
            CodeUpload before = byPath.putIfAbsent(path, upload);
            if (before != null && !before.equals(upload)) {
                throw new EngineException(EngineException.Code.BAD_REQUEST, "Expected one upload of code per path, but '" + path
                        + "' comes twice with different bytes");
            }
        }
        return byPath;
    }

    /** The archive's digest, or "" when it cannot be unpacked ({@link #unusable} says why). */
    private String check(CodeUpload upload) {
        return reason(upload) == null ? CodeArchive.sha256(upload.bytes()) : "";
    }

    private String reason(CodeUpload upload) {
        try {
            if (CodeArchive.Kind.of(upload.path()) == CodeArchive.Kind.JAR) {
                ArchiveUnpacker.verifyJar(upload.bytes());
            } else {
                ArchiveUnpacker.verify(upload.bytes(), limits);
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private String unusable(CodeUpload upload) {
        return "the code uploaded for '" + CodeUpload.normalise(upload.path()) + "' cannot be used: " + reason(upload);
    }

    private static String otherUploads(Map<String, CodeUpload> byPath, List<CodeReference> references) {
        Set<String> named = references.stream().map(CodeReference::uploadPath).collect(Collectors.toSet());
        List<String> others = byPath.keySet().stream().filter(path -> !named.contains(path)).toList();
        return others.isEmpty() ? "" : "; it carries code for " + quoted(others) + ", which no function names";
    }

    private static Problem problem(CodeReference reference, String message) {
        return new Problem(reference.location(), CodeReference.FIELD, message);
    }

    private static EngineException unusedUploads(List<String> unused) {
        List<JsonNode> details = unused.stream().map(path -> (JsonNode) Json.object().put("part", "code").put("filename", path)
                .put("message", "no function of the deploy has this code path")).toList();
        return new EngineException(EngineException.Code.BAD_REQUEST, "Expected every code upload to be named by a function's "
                + "'code' path (resolved against its definition file), but no function names " + quoted(unused)
                + "; remove " + (unused.size() == 1 ? "that part" : "those parts") + " or fix the 'code' paths", details);
    }

    private static String quoted(List<String> paths) {
        return paths.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "));
    }
}
