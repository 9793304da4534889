package dev.tributary.engine.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trib secret set|list|delete}: the values {@code secret(name)} reads, which never come back out. */
@Command(name = "secret", mixinStandardHelpOptions = true,
        description = {"Set, list or delete secrets; expressions read them with secret('NAME').",
                "Values are encrypted at rest and never shown again, not even by list."},
        subcommands = CommandLine.HelpCommand.class)
final class SecretCommand implements Runnable {

    /** Lets tests stand in for standard input. */
    static volatile InputStream stdin = System.in;

    /** {@code trib secret} alone lists secrets. */
    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        list(client);
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Set a secret's value (create or replace it).",
                    "Without --value or --from-file the value is read from standard input (prompted for, unechoed, on a"
                            + " terminal), so it stays out of your shell history: prefer that, e.g.",
                    "  trib secret set gh-token < token.txt",
                    "One trailing newline of a file or of standard input is dropped."})
    int set(@Mixin ClientOptions options,
            @Parameters(paramLabel = "NAME", description = "the secret: letters, digits, '_', '.', '-'") String name,
            @Option(names = "--value", paramLabel = "V", description = "the value (visible in shell history and ps)") String value,
            @Option(names = "--from-file", paramLabel = "F", description = "read the value from this file") Path file) {
        if (value != null && file != null) {
            throw new CliFailure("give the value of secret " + name + " once: --value or --from-file, not both");
        }
        String secret = value != null ? value : file != null ? fromFile(file) : fromStdin(name);
        if (secret.isEmpty()) {
            throw new CliFailure("the value of secret " + name + " is empty");
        }
        String body = JsonNodeFactory.instance.objectNode().put("value", secret).toString();
        options.client().put("/secrets/" + ApiClient.segment(name), "application/json", body);
        if (options.json()) {
            options.out().println(JsonNodeFactory.instance.objectNode().put("name", name));
        } else {
            options.out().println("secret " + name + " set");
        }
        options.out().flush();
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List secrets by name (never their values).")
    int list(@Mixin ClientOptions options) {
        ApiClient.Response response = options.client().get("/secrets");
        if (RunsCommand.printedJson(options, response)) {
            return 0;
        }
        TextTable table = new TextTable("NAME", "UPDATED");
        response.json().path("secrets").forEach(s -> table.row(JsonText.text(s, "name"), JsonText.text(s, "updatedAt")));
        table.print(options.out());
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a secret.")
    int delete(@Mixin ClientOptions options, @Parameters(paramLabel = "NAME", description = "the secret") String name) {
        options.client().delete("/secrets/" + ApiClient.segment(name));
        if (options.json()) {
            options.out().println(JsonNodeFactory.instance.objectNode().put("name", name).put("deleted", true));
        } else {
            options.out().println("secret " + name + " deleted");
        }
        options.out().flush();
        return 0;
    }

    private static String fromFile(Path file) {
        try {
            return withoutTrailingNewline(utf8(Files.readAllBytes(file), "file " + file));
        } catch (NoSuchFileException e) {
            throw new CliFailure("cannot read --from-file " + file + ": no such file");
        } catch (IOException e) {
            throw new CliFailure("cannot read --from-file " + file + ": " + e.getMessage());
        }
    }

    private static String fromStdin(String name) {
        InputStream in = stdin;
        Console console = System.console();
        if (in == System.in && console != null) {
            char[] typed = console.readPassword("value of secret %s (not echoed): ", name);
            if (typed == null) {
                throw new CliFailure("no value given for secret " + name);
            }
            return new String(typed);
        }
        try {
            return withoutTrailingNewline(utf8(in.readAllBytes(), "standard input"));
        } catch (IOException e) {
            throw new CliFailure("cannot read the value of secret " + name + " from standard input: " + e.getMessage());
        }
    }

    private static String utf8(byte[] bytes, String source) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CliFailure("the value in " + source + " is not UTF-8 text");
        }
    }

    /** {@code echo token | trib secret set}, and editors, end the value with a newline that is not part of it. */
    private static String withoutTrailingNewline(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
