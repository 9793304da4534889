package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.dsl.load.SourceText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code trib deploy FILE...}: sends each file's definitions to the server, one deploy per file
 * in the order given (so put functions before the workflows that call them). The first refused
 * file stops the command: its problems are printed as {@code file:line:col: path: message}.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Deploy definition files to the server, one deploy per file, in order.",
                "Directories are searched for .yaml, .yml and .json files.",
                "Exit status: 0 deployed, 1 a file was refused (problems printed), 2 other failures."})
final class DeployCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "definition files or directories")
    List<Path> paths;

    @Override
    public Integer call() {
        List<SourceText> files = DefinitionFiles.read(paths);
        if (files.isEmpty()) {
            throw new CliFailure("no .yaml, .yml or .json files in " + paths.stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
        ApiClient api = client.client();
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        ArrayNode deployed = result.putArray("deployed");
        for (int i = 0; i < files.size(); i++) {
            SourceText file = files.get(i);
            try {
                JsonNode answer = api.post("/deploy", DefinitionFiles.isJson(file.name()) ? "application/json" : "application/yaml",
                        file.text(), Map.of("X-Tributary-File", headerSafe(file.name())), Duration.ZERO).json();
                answer.path("deployed").forEach(deployed::add);
            } catch (ApiClient.Refused refused) {
                if (!"invalid_definition".equals(refused.code())) {
                    throw refused;
                }
                return reportRefusal(file, refused, deployed, files.size() - i - 1);
            }
        }
        if (client.json()) {
            client.out().println(result);
            client.out().flush();
        } else {
            print(deployed);
        }
        return 0;
    }

    private int reportRefusal(SourceText file, ApiClient.Refused refused, ArrayNode deployedBefore, int notSent) {
        if (client.json()) {
            client.out().println(refused.body());
            client.out().flush();
        } else if (!deployedBefore.isEmpty()) {
            print(deployedBefore);
        }
        refused.details().forEach(problem -> client.err().println(problemLine(problem, file.name())));
        client.err().println("trib: " + file.name() + " was not deployed (" + refused.details().size()
                + (refused.details().size() == 1 ? " problem" : " problems") + ")"
                + (notSent > 0 ? "; " + notSent + (notSent == 1 ? " file" : " files") + " after it not sent" : ""));
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

    private void print(ArrayNode deployed) {
        TextTable table = new TextTable("KIND", "NAME", "VERSION");
        deployed.forEach(d -> table.row(JsonText.text(d, "kind"), JsonText.text(d, "name"), JsonText.text(d, "version")));
        table.print(client.out());
    }

    /** Header values are ASCII; the server reports problems under this name. */
    private static String headerSafe(String name) {
        return name.codePoints().map(c -> c < 0x20 || c > 0x7E ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
