package dev.tributary.functions.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    @TempDir
    Path code;

    @Test
    void splitsWordsOnBlanks() {
        assertThat(CommandLine.parse("  python3 -u\thandler.py  ").words()).containsExactly("python3", "-u", "handler.py");
    }

    @Test
    void singleQuotesKeepEverythingInside() {
        assertThat(CommandLine.parse("sh -c 'echo \"$HOME\" | wc -c; x\\y'").words())
                .containsExactly("sh", "-c", "echo \"$HOME\" | wc -c; x\\y");
    }

    @Test
    void doubleQuotesUnescapeOnlyQuoteAndBackslash() {
        assertThat(CommandLine.parse("printf \"a \\\"b\\\" \\\\ \\n $X\"").words())
                .containsExactly("printf", "a \"b\" \\ \\n $X");
    }

    @Test
    void adjacentPartsMakeOneWordAndEmptyQuotesAnEmptyWord() {
        assertThat(CommandLine.parse("a'b c'\"d\"e '' x\\ y").words()).containsExactly("ab cde", "", "x y");
    }

    @Test
    void shellFeaturesAreOrdinaryCharacters() {
        assertThat(CommandLine.parse("echo $HOME *.py > out; ls | wc").words())
                .containsExactly("echo", "$HOME", "*.py", ">", "out;", "ls", "|", "wc");
    }

    @Test
    void aBlankLineOrAnUnclosedQuoteIsRefused() {
        assertThatThrownBy(() -> CommandLine.parse("   ")).hasMessage("Expected a command line with at least one word, but it is blank");
        assertThatThrownBy(() -> CommandLine.parse("echo \"hi")).hasMessageContaining("closing \" for the one at column 6");
    }

    @Test
    void pathsIntoTheCodeDirectoryBecomeAbsolute() throws IOException {
        // given
        Files.writeString(code.resolve("handler.py"), "");
        Files.createDirectories(code.resolve("data"));
        Files.writeString(code.resolve("data/rates.json"), "{}");

        // when
        List<String> words = CommandLine.parse("./bin/tool handler.py data/rates.json missing.txt -v ../escape /abs").resolvedAgainst(code);

        // then
        assertThat(words).containsExactly(code.resolve("bin/tool").toString(), code.resolve("handler.py").toString(),
                code.resolve("data/rates.json").toString(), "missing.txt", "-v", "../escape", "/abs");
    }

    @Test
    void aBareProgramNameIsLeftForPathToFind() throws IOException {
        // given
        Files.writeString(code.resolve("python3"), "");

        // when
        List<String> words = CommandLine.parse("python3 x").resolvedAgainst(code);

        // then
        assertThat(words).containsExactly("python3", "x");
    }
}
