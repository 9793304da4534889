package dev.tributary.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A JSON option value given inline ({@code --input '{"a":1}'}) or as {@code @file}. It is checked
 * here, so a typo is reported against the option or file rather than as a server error, and then
 * sent as written (numbers keep their exact digits).
 */
final class JsonArgument {

    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private JsonArgument() {
    }

    /** The JSON text of {@code value}; {@code option} names it in errors ({@code --input}). */
    static String read(String value, String option) {
        String text;
        String source;
        if (value.startsWith("@")) {
            Path file = Path.of(value.substring(1));
            source = option + " file " + file;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new CliFailure("cannot read " + source + ": no such file");
            } catch (MalformedInputException e) {
                throw new CliFailure("cannot read " + source + ": it is not UTF-8 text");
            } catch (IOException e) {
                throw new CliFailure("cannot read " + source + ": " + e.getMessage());
            }
        } else {
            text = value;
            source = option;
        }
        try {
            if (MAPPER.readTree(text) == null || text.isBlank()) {
                throw new CliFailure(source + " is empty; give a JSON value such as {} or @file.json");
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            String reason = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage().split("\n")[0];
            throw new CliFailure(source + " is not valid JSON" + where + ": " + reason);
        }
        return text;
    }
}
