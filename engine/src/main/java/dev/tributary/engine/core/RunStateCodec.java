package dev.tributary.engine.core;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Reads and writes a {@link RunState} as JSON text: the form a run is stored in. Field names are
 * the format, so renaming a field of {@link RunState} needs a migration of stored runs.
 */
public final class RunStateCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY);

    private RunStateCodec() {
    }

    public static String write(RunState state) {
        try {
            return MAPPER.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Expected to write the state of run '" + state.id + "', but " + e.getOriginalMessage(), e);
        }
    }

    public static RunState read(String json) {
        try {
            return MAPPER.readValue(json, RunState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Expected a stored run state, but " + e.getOriginalMessage(), e);
        }
    }
}
