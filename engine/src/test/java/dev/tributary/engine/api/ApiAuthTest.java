package dev.tributary.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The admin key on every route but health, and metrics from loopback. */
class ApiAuthTest {

    @Test
    void refusesARequestWithoutTheKey() {
        try (TestApi api = new TestApi(new FakeEngine().withWorkflow("hello"))) {
            // when
            HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/workflows")).GET());

            // then
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
            assertThat(Json.parse(response.body()).get("error").get("code").asText()).isEqualTo("unauthorized");
        }
    }

    @Test
    void refusesAWrongKeyAndAnotherScheme() {
        try (TestApi api = new TestApi(new FakeEngine().withWorkflow("hello"))) {
            assertThat(api.send(HttpRequest.newBuilder(api.uri("/workflows")).header("Authorization", "Bearer wrong").GET())
                    .statusCode()).isEqualTo(401);
            assertThat(api.send(HttpRequest.newBuilder(api.uri("/workflows")).header("Authorization", "Bearer " + TestApi.KEY + "x")
                    .GET()).statusCode()).isEqualTo(401);
            assertThat(api.send(HttpRequest.newBuilder(api.uri("/workflows")).header("Authorization", "Basic " + TestApi.KEY)
                    .GET()).statusCode()).isEqualTo(401);
            assertThat(api.send(HttpRequest.newBuilder(api.uri("/workflows")).header("Authorization", "bearer " + TestApi.KEY)
                    .GET()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void refusesBeforeReadingTheBody() {
        FakeEngine engine = new FakeEngine().withWorkflow("hello");
        try (TestApi api = new TestApi(engine)) {
            // when
            HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/workflows/hello/runs"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));

            // then
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(engine.startInputs).isEmpty();
        }
    }

    @Test
    void keepsEveryDocumentAndRouteBehindTheKey() {
        try (TestApi api = new TestApi(new FakeEngine())) {
            for (RouteTemplate route : api.server.routes()) {
                if (route.path().equals("/health") || route.path().equals("/metrics")) {
                    continue;
                }
                if (route.path().startsWith("/hooks/")) {
                    continue; // webhooks carry their trigger's own auth (TriggersNodeTest)
                }
                String path = route.path().replaceAll("\\{[^}]+}", "x");
                HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri(path))
                        .method(route.method().name(), HttpRequest.BodyPublishers.noBody()));
                assertThat(response.statusCode()).as(route.toString()).isEqualTo(401);
            }
        }
    }

    @Test
    void asksForTheKeyForMetricsOffLoopback() {
        Optional<InetAddress> lan = nonLoopbackAddress();
        assumeTrue(lan.isPresent(), "this machine has no non-loopback IPv4 address");
        String host = lan.get().getHostAddress();
        try (TestApi api = new TestApi(new FakeEngine(), ApiConfig.of(host, 0, TestApi.KEY))) {
            URI metrics = URI.create("http://" + host + ":" + api.port + "/api/v1/metrics");

            assertThat(api.send(HttpRequest.newBuilder(metrics).GET()).statusCode()).isEqualTo(401);
            assertThat(api.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer " + TestApi.KEY).GET())
                    .statusCode()).isEqualTo(200);
        }
        try (TestApi open = new TestApi(new FakeEngine(), ApiConfig.of(host, 0, TestApi.KEY).withMetricsNeedKeyOffLoopback(false))) {
            URI metrics = URI.create("http://" + host + ":" + open.port + "/api/v1/metrics");
            assertThat(open.send(HttpRequest.newBuilder(metrics).GET()).statusCode()).isEqualTo(200);
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                        return Optional.of(address);
                    }
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
