package dev.deploypipeline.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.testing.PipelineServers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard with a token configured: its page and its assets (which hold no data) load for anyone, so the page
 * can ask for the token, while the API and every other path still need one; everything carries the strict
 * Content-Security-Policy.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "api.token=" + DashboardAccessTest.ADMIN)
class DashboardAccessTest {

    static final String ADMIN = "admin-token-of-the-dashboard-test";
    private static final Pattern SCRIPT = Pattern.compile("src=\"(/assets/[\\w.-]+\\.js)\"");

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void pageAndAssetsLoadWithoutATokenWhileTheApiAsksForOne() {
        ApiClient anyone = new ApiClient(port, null);

        HttpResponse<String> page = anyone.get("/");
        Matcher script = SCRIPT.matcher(page.body());
        assertThat(script.find()).as(page.body()).isTrue();
        HttpResponse<String> asset = anyone.get(script.group(1));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(asset.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
        assertThat(anyone.get("/assets/no-such-file.js").statusCode()).isEqualTo(404);
        assertThat(anyone.get("/deployments").statusCode()).isEqualTo(401);
        assertThat(anyone.get("/queue").statusCode()).isEqualTo(401);
        assertThat(anyone.get("/index.html").statusCode()).isEqualTo(401);
        assertThat(anyone.get("/dashboard/index.html").statusCode()).isEqualTo(401);
        assertThat(new ApiClient(port, ADMIN).get("/queue").statusCode()).isEqualTo(200);
    }

    @Test
    void everyAnswerCarriesAStrictContentSecurityPolicy() {
        ApiClient anyone = new ApiClient(port, null);

        for (HttpResponse<String> response : List.of(anyone.get("/"), anyone.get("/deployments"))) {
            String policy =
                    response.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(policy)
                    .contains(
                            "default-src 'none'",
                            "script-src 'self'",
                            "style-src 'self'",
                            "connect-src 'self'",
                            "frame-ancestors 'none'")
                    .doesNotContain("unsafe", "*", "http");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
    }
}
