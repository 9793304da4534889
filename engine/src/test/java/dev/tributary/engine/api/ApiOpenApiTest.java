package dev.tributary.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The published OpenAPI document lists exactly the routes the server answers. */
class ApiOpenApiTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void documentsEveryServedRouteAndNoOther() {
        // given
        Map<String, Object> document = new Yaml().load(new String(DocumentRoutes.resource(DocumentRoutes.OPENAPI_RESOURCE),
                StandardCharsets.UTF_8));
        Set<String> documented = new HashSet<>();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        paths.forEach((path, operations) -> operations.keySet().stream().filter(METHODS::contains)
                .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path)));

        // when
        Set<String> served;
        try (TestApi api = new TestApi(new FakeEngine())) {
            served = api.server.routes().stream().map(RouteTemplate::toString).collect(Collectors.toSet());
        }

        // then
        assertThat(document.get("openapi")).isEqualTo("3.1.0");
        assertThat(documented).isEqualTo(served);
    }
}
