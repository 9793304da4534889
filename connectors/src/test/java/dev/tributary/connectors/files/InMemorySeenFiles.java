package dev.tributary.connectors.files;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link SeenFiles} in a map, kept across a source's restart by handing the same instance to the next one. */
final class InMemorySeenFiles implements SeenFiles {

    private final Map<String, Map<String, FileState>> byTrigger = new ConcurrentHashMap<>();

    @Override
    public List<FileState> load(String trigger) {
        return List.copyOf(files(trigger).values());
    }

    @Override
    public void record(String trigger, FileState file) {
        files(trigger).put(file.path(), file);
    }

    @Override
    public void forget(String trigger, String path) {
        files(trigger).remove(path);
    }

    private Map<String, FileState> files(String trigger) {
        return byTrigger.computeIfAbsent(trigger, t -> new ConcurrentHashMap<>());
    }
}
