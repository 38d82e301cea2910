package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.testing.PipelineServers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Deploy hooks through the real API: a secret URL that deploys its project's branch with no other credential. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"api.token=" + DeployHookTest.TOKEN, "hook.rate-limit=3", "hook.rate-window=1h"})
class DeployHookTest extends RunningApi {

    static final String TOKEN = "deploy-hook-test-token";

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    DeployHookTest() {
        super(TOKEN);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void aHookDeploysItsProjectsBranchWithoutATokenAndIsListedWithoutItsSecret() {
        String commit = servers.git()
                .repository("cms")
                .file("index.html", "from the cms")
                .commit("cms");
        createProject("cms");

        JsonNode hook = makeHook("cms", "headless cms");
        String url = hook.get("url").asString();
        HttpResponse<String> called = call(url);

        assertThat(url).startsWith("http://127.0.0.1:" + port + "/hooks/dh_");
        assertThat(called.statusCode()).as(called.body()).isEqualTo(202);
        String id = read(called).get("id").asString();
        servers.awaitStatus(id, "uploaded");
        assertThat(servers.redis().hgetall("deployment:" + id))
                .containsEntry("project", "cms")
                .containsEntry("ref", "main")
                .containsEntry("commit", commit);
        String secret = url.substring(url.lastIndexOf('/') + 1);
        String listed = api.get("/projects/cms/hooks").body();
        assertThat(listed).contains(hook.get("id").asString(), "headless cms").doesNotContain(secret);
        assertThat(api.get("/projects/cms").body()).doesNotContain(secret);
        assertThat(servers.everythingInRedis()).doesNotContain(secret).doesNotContain(secret.substring(3));
    }

    @Test
    void aRevokedHookAnswers404AndDeploysNothing() {
        servers.git().repository("revoked").file("index.html", "x").commit("x");
        createProject("revoked");
        JsonNode hook = makeHook("revoked", "ci");
        String url = hook.get("url").asString();
        assertThat(call(url).statusCode()).isEqualTo(202);

        HttpResponse<String> revoked =
                api.delete("/projects/revoked/hooks/" + hook.get("id").asString());

        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);
        long before = servers.redis().hlen("status");
        HttpResponse<String> after = call(url);
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(after.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(servers.redis().hlen("status")).isEqualTo(before);
        assertThat(api.getJson("/projects/revoked/hooks")).isEmpty();
        assertThat(api.delete("/projects/revoked/hooks/" + hook.get("id").asString())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aHookCalledTooOftenIsAnswered429WithRetryAfterAndOtherHooksStillDeploy() {
        servers.git().repository("busy").file("index.html", "x").commit("x");
        createProject("busy");
        String hot = makeHook("busy", "hot").get("url").asString();
        String calm = makeHook("busy", "calm").get("url").asString();

        for (int i = 0; i < 3; i++) {
            assertThat(call(hot).statusCode()).isEqualTo(202);
        }
        HttpResponse<String> limited = call(hot);

        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After"))
                .hasValueSatisfying(
                        seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 3600L));
        assertThat(read(limited).get("detail").asString()).contains("HOOK_RATE_LIMIT");
        assertThat(call(calm).statusCode()).isEqualTo(202);
    }

    @Test
    void callsCountForAWholeWindowAfterThemSoNoBurstAtAWindowsEdgeGetsTwiceTheLimit() {
        servers.git().repository("edge").file("index.html", "x").commit("x");
        createProject("edge");
        JsonNode recent = makeHook("edge", "recent");
        JsonNode old = makeHook("edge", "old");
        // Each hook's last three calls, as a caller spending the limit at the end of an hour would leave them.
        calledAgo(recent.get("id").asString(), Duration.ofMinutes(59));
        calledAgo(old.get("id").asString(), Duration.ofMinutes(61));

        HttpResponse<String> limited = call(recent.get("url").asString());
        HttpResponse<String> admitted = call(old.get("url").asString());

        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After"))
                .hasValueSatisfying(
                        seconds -> assertThat(Long.parseLong(seconds)).isBetween(55L, 61L));
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(202);
        assertThat(call(old.get("url").asString()).statusCode()).isEqualTo(202);
        assertThat(call(old.get("url").asString()).statusCode()).isEqualTo(202);
        assertThat(call(old.get("url").asString()).statusCode()).isEqualTo(429);
    }

    @Test
    void aFixedWindowsCounterLeftByAnEarlierVersionIsCountedAfresh() {
        servers.git().repository("upgraded").file("index.html", "x").commit("x");
        createProject("upgraded");
        JsonNode hook = makeHook("upgraded", "ci");
        servers.redis().setex("hook-calls:" + hook.get("id").asString(), 60, "7");

        HttpResponse<String> called = call(hook.get("url").asString());

        assertThat(called.statusCode()).as(called.body()).isEqualTo(202);
        assertThat(servers.redis().type("hook-calls:" + hook.get("id").asString()))
                .isEqualTo("zset");
    }

    @Test
    void guessedMalformedAndHostileHookAddressesAre404AndNeedNoToken() {
        servers.git().repository("guarded").file("index.html", "x").commit("x");
        createProject("guarded");
        String url = makeHook("guarded", "real").get("url").asString();
        String secret = url.substring(url.lastIndexOf('/') + 1);
        long before = servers.redis().hlen("status");

        for (String guess : new String[] {
            "dh_" + "A".repeat(43),
            secret.substring(0, secret.length() - 1),
            secret.toUpperCase(),
            "..%2F..%2Fdeploy",
            "x".repeat(300),
            secret + "%00"
        }) {
            HttpResponse<String> response = call("http://127.0.0.1:" + port + "/hooks/" + guess);
            assertThat(response.statusCode()).as(guess).isIn(400, 404);
        }
        assertThat(servers.redis().hlen("status")).isEqualTo(before);
        assertThat(anonymous
                        .post("/projects/guarded/hooks", Map.of("name", "mine"))
                        .statusCode())
                .isEqualTo(401);
        assertThat(anonymous.get("/projects/guarded/hooks").statusCode()).isEqualTo(401);
        assertThat(api.post("/projects/nobody/hooks", Map.of()).statusCode()).isEqualTo(404);
        assertThat(api.post("/projects/guarded/hooks", Map.of("name", "line\nbreak"))
                        .statusCode())
                .isEqualTo(400);
    }

    private JsonNode makeHook(String project, String name) {
        HttpResponse<String> made = api.post("/projects/" + project + "/hooks", Map.of("name", name));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return read(made);
    }

    private HttpResponse<String> call(String url) {
        return anonymous.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Three calls of the hook, {@code ago} before Redis's clock, in its rate limit's record. */
    private static void calledAgo(String hookId, Duration ago) {
        List<String> time = servers.redis().time();
        long now = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
        for (int i = 0; i < 3; i++) {
            long at = now - ago.toMillis() + i;
            servers.redis().zadd("hook-calls:" + hookId, at, Long.toString(at));
        }
    }

    private void createProject(String name) {
        HttpResponse<String> response = api.post(
                "/projects", Map.of("name", name, "repoUrl", servers.git().url(name), "branch", "main"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}
