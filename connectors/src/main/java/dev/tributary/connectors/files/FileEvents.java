package dev.tributary.connectors.files;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.TriggerEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/** The CloudEvent of one file change: type {@code tributary.file.<kind>}, data {@code {path, size, modified}}. */
final class FileEvents {

    /** The inbox keeps event ids of up to this many characters. */
    static final int MAX_ID_LENGTH = 255;

    private FileEvents() {
    }

    /**
     * @param dir     the watched directory, absolute
     * @param removed when a deleted file was noticed gone (the event's time); a created or
     *                modified file's event carries its last-modified time
     */
    static ObjectNode of(String trigger, Path dir, FileChange change, Instant removed) {
        FileState file = change.latest();
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("path", dir.resolve(file.path()).toString());
        data.put("size", file.size());
        data.put("modified", file.modified().toString());
        Instant time = change.after() != null ? change.after().modified() : removed;
        return TriggerEvents.event(trigger, "tributary.file." + kind(change), id(trigger, change), file.path(), time, data);
    }

    /**
     * {@code <trigger>/<kind>/<relative path>/<modified micros>/<size>}: the same for the same
     * change however often it is handed over (a deletion names the state last seen), so the inbox
     * drops a repeat. A path too long for the inbox's ids is replaced by its SHA-256.
     */
    static String id(String trigger, FileChange change) {
        FileState file = change.latest();
        String suffix = "/" + file.modifiedMicros() + "/" + file.size();
        String id = trigger + "/" + kind(change) + "/" + file.path() + suffix;
        return id.length() <= MAX_ID_LENGTH ? id : trigger + "/" + kind(change) + "/sha256:" + sha256(file.path()) + suffix;
    }

    private static String kind(FileChange change) {
        return change.kind().name().toLowerCase(Locale.ROOT);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Expected every JVM to have SHA-256", e);
        }
    }
}
