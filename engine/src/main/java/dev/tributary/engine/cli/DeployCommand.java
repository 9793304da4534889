package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.node.CodeUpload;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code trib deploy FILE|DIR...}: sends every definition file in one multipart request, with the
 * code each function names with {@code code:} (packed by {@link CodePacker}), which the server
 * validates together and deploys as one atomic set, so a workflow may call a function defined in
 * another file, in any order. A refused set deploys nothing; its problems are printed as
 * {@code file:line:col: path: message} with each file as the user named it.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Deploy definition files to the server as one set: all of them, or none if any is invalid.",
                "Directories are searched for .yaml, .yml and .json files.",
                "A function's 'code:' path (a file, a directory, a .zip or a .jar, relative to its definition file) is uploaded with it.",
                "Exit status: 0 deployed, 1 the set was refused (problems printed), 2 other failures."})
final class DeployCommand implements Callable<Integer> {

    /** The form field each definition file is sent in; the server goes by the filename. */
    static final String PART = "definition";
    /** The form field each function's code is sent in, under its resolved path. */
    static final String CODE_PART = "code";
    private static final int MAX_WIRE_NAME = 255;

    @Mixin
    ClientOptions client;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "definition files or directories")
    List<Path> paths;

    @Override
    public Integer call() {
        Map<String, SourceText> byPath = new LinkedHashMap<>();
        // A file named twice (a directory and a file in it) is one file of the set.
        DefinitionFiles.read(paths).forEach(file -> byPath.putIfAbsent(file.name(), file));
        if (byPath.isEmpty()) {
            throw new CliFailure("no .yaml, .yml or .json files in " + paths.stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
        List<SourceText> files = List.copyOf(byPath.values());
        Map<String, String> wireNames = wireNames(files);
        List<CodeUpload> code;
        try {
            code = CodePacker.pack(files, wireNames::get, Path.of(""));
        } catch (CodePacker.Unpackable e) {
            e.problems().forEach(client.err()::println);
            client.err().println("trib: nothing was deployed (the code of " + e.problems().size()
                    + (e.problems().size() == 1 ? " function" : " functions") + " could not be packed)");
            client.err().flush();
            return 1;
        }
        MultipartForm form = new MultipartForm(files, code);
        for (SourceText file : files) {
            form.add(PART, wireNames.get(file.name()),
                    DefinitionFiles.isJson(file.name()) ? "application/json" : "application/yaml", file.text());
        }
        for (CodeUpload upload : code) {
            form.add(CODE_PART, upload.path(), "application/zip", upload.bytes());
        }
        JsonNode answer;
        try {
            answer = client.client().post("/deploy", form.contentType(), form.finish()).json();
        } catch (ApiClient.Refused refused) {
            if (!"invalid_definition".equals(refused.code())) {
                throw refused;
            }
            return reportRefusal(refused, inverse(wireNames));
        }
        if (client.json()) {
            client.out().println(answer);
            client.out().flush();
        } else {
            TextTable table = new TextTable("KIND", "NAME", "VERSION");
            answer.path("deployed").forEach(d ->
                    table.row(JsonText.text(d, "kind"), JsonText.text(d, "name"), JsonText.text(d, "version")));
            table.print(client.out());
        }
        return 0;
    }

    private int reportRefusal(ApiClient.Refused refused, Map<String, String> userPaths) {
        if (client.json()) {
            client.out().println(refused.body());
            client.out().flush();
        }
        Set<String> files = new HashSet<>();
        for (JsonNode problem : refused.details()) {
            JsonNode shown = problem;
            String wire = problem.path("file").asText("");
            if (userPaths.containsKey(wire) && problem.isObject()) {
                shown = ((ObjectNode) problem.deepCopy()).put("file", userPaths.get(wire));
            }
            files.add(shown.path("file").asText(""));
            client.err().println(problemLine(shown, "?"));
        }
        int count = refused.details().size();
        String what = count == 0 ? refused.getMessage()
                : count + (count == 1 ? " problem" : " problems") + " in " + files.size() + (files.size() == 1 ? " file" : " files");
        client.err().println("trib: nothing was deployed (" + what + ")");
        client.err().flush();
        return 1;
    }

    /** {@code file:line:col: path: message}, the format of {@code trib validate}. */
    static String problemLine(JsonNode problem, String fallbackFile) {
        StringBuilder line = new StringBuilder(problem.path("file").asText(fallbackFile));
        if (problem.path("line").canConvertToInt() && problem.path("line").asInt() > 0) {
            line.append(':').append(problem.path("line").asInt()).append(':').append(problem.path("column").asInt(1));
        }
        line.append(": ");
        String path = problem.path("path").asText("");
        if (!path.isEmpty()) {
            line.append(path).append(": ");
        }
        return line.append(problem.path("message").asText("invalid")).toString();
    }

    /**
     * The filename each file is sent under: its path as given, so the server's problems already
     * name it, unless the path would not arrive intact or would not be read as definitions. The
     * server's multipart decoder rewrites {@code " : ; , =} in filenames, keeps 255 characters,
     * and takes only {@code .yaml}, {@code .yml} and {@code .json} files as definitions; such a
     * path travels under a stand-in name ({@code file-2.yaml}) that the answer is mapped back from.
     */
    static Map<String, String> wireNames(List<SourceText> files) {
        Map<String, String> wire = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (SourceText file : files) {
            if (travelsIntact(file.name())) {
                wire.put(file.name(), file.name());
                taken.add(file.name());
            }
        }
        for (int i = 0; i < files.size(); i++) {
            String path = files.get(i).name();
            if (!wire.containsKey(path)) {
                String lower = path.toLowerCase(Locale.ROOT);
                String extension = lower.endsWith(".json") ? ".json" : lower.endsWith(".yml") ? ".yml" : ".yaml";
                String standIn = "file-" + (i + 1) + extension;
                for (int n = 2; taken.contains(standIn); n++) {
                    standIn = "file-" + (i + 1) + "-" + n + extension;
                }
                wire.put(path, standIn);
                taken.add(standIn);
            }
        }
        return wire;
    }

    private static boolean travelsIntact(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) && fitsFilename(path);
    }

    /** Whether the server's multipart decoder keeps {@code name} as it is in a part's filename. */
    static boolean fitsFilename(String name) {
        return name.length() <= MAX_WIRE_NAME && name.equals(name.strip())
                && name.codePoints().noneMatch(c -> Character.isISOControl(c) || "\"\\:;,=".indexOf(c) >= 0);
    }

    private static Map<String, String> inverse(Map<String, String> map) {
        Map<String, String> inverse = new HashMap<>();
        map.forEach((key, value) -> inverse.put(value, key));
        return inverse;
    }

    /** A {@code multipart/form-data} body (RFC 7578) of files; java.net.http has no builder for one. */
    static final class MultipartForm {

        private static final SecureRandom RANDOM = new SecureRandom();

        private final String boundary;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        /** @param files and {@code code}: what will be sent, so the boundary is known to occur in none of it */
        MultipartForm(List<SourceText> files, List<CodeUpload> code) {
            String candidate;
            do {
                byte[] bytes = new byte[16];
                RANDOM.nextBytes(bytes);
                candidate = "tributary-" + HexFormat.of().formatHex(bytes);
            } while (occursIn(candidate, files, code));
            this.boundary = candidate;
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        /** @param filename must hold no {@code "}, CR or LF (see {@link #wireNames}) */
        void add(String part, String filename, String contentType, String text) {
            head(part, filename, contentType + "; charset=utf-8");
            write(text);
            write("\r\n");
        }

        /** @param filename must hold no {@code "}, CR or LF (see {@link #fitsFilename}) */
        void add(String part, String filename, String contentType, byte[] bytes) {
            head(part, filename, contentType);
            body.writeBytes(bytes);
            write("\r\n");
        }

        byte[] finish() {
            write("--" + boundary + "--\r\n");
            return body.toByteArray();
        }

        private void head(String part, String filename, String contentType) {
            write("--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"" + part + "\"; filename=\"" + filename + "\"\r\n"
                    + "Content-Type: " + contentType + "\r\n"
                    + "\r\n");
        }

        private void write(String text) {
            body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        private static boolean occursIn(String boundary, List<SourceText> files, List<CodeUpload> code) {
            byte[] needle = boundary.getBytes(StandardCharsets.US_ASCII);
            return files.stream().anyMatch(file -> file.text().contains(boundary) || file.name().contains(boundary))
                    || code.stream().anyMatch(upload -> upload.path().contains(boundary) || contains(upload.bytes(), needle));
        }

        private static boolean contains(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i <= haystack.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }
}
