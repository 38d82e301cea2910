package dev.deploypipeline.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.autoconfigure.SourceSizeLimit;
import dev.deploypipeline.testing.BoundSettings;
import dev.deploypipeline.upload.access.ApiSettings;
import dev.deploypipeline.upload.access.RequestSizeLimit;
import dev.deploypipeline.upload.deployments.LogFollowerSettings;
import dev.deploypipeline.upload.deployments.QueueSettings;
import dev.deploypipeline.upload.deployments.SiteSettings;
import dev.deploypipeline.upload.git.FetchSettings;
import dev.deploypipeline.upload.git.GitSettings;
import dev.deploypipeline.upload.webhook.WebhookSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.util.unit.DataSize;

/** The documented environment variables reach the settings records, and their defaults hold without them. */
class SettingsBindingTest {

    @Test
    void theDocumentedEnvironmentVariablesSetEverySetting() {
        Binder binder = binderOf(Map.ofEntries(
                Map.entry("GIT_ALLOWED_HOSTS", "git.corp,127.0.0.1:8080"),
                Map.entry("GIT_ALLOW_CREDENTIALS", "true"),
                Map.entry("FETCH_TIMEOUT", "90s"),
                Map.entry("FETCH_MAX_BYTES", "200MB"),
                Map.entry("FETCH_MAX_FILES", "5000"),
                Map.entry("FETCH_MAX_FILE_SIZE", "20MB"),
                Map.entry("FETCH_MAX_SIZE", "300MB"),
                Map.entry("QUEUE_MAX_LENGTH", "50"),
                Map.entry("API_TOKEN", "t0ken"),
                Map.entry("API_READ_TOKEN", "re4d"),
                Map.entry("API_ALLOWED_HOSTS", "api.example.com,*.internal"),
                Map.entry("GITHUB_WEBHOOK_SECRET", "s3cret"),
                Map.entry("GITHUB_PUSH_TTL", "7d"),
                Map.entry("GITHUB_MAX_PAYLOAD_SIZE", "512KB"),
                Map.entry("GITHUB_READS_AT_ONCE", "4"),
                Map.entry("GITHUB_READ_TIMEOUT", "2s"),
                Map.entry("LOG_FOLLOWERS_MAX", "50"),
                Map.entry("LOG_FOLLOWERS_PER_CLIENT", "3"),
                Map.entry("LOG_FOLLOWERS_BUFFER", "1MB"),
                Map.entry("MAX_REQUEST_SIZE", "16KB"),
                Map.entry("SITE_URL_PATTERN", "https://{id}.sites.example.com/")));

        assertThat(binder.bindOrCreate("git", GitSettings.class))
                .isEqualTo(new GitSettings(List.of("git.corp", "127.0.0.1:8080"), true));
        FetchSettings fetch = binder.bindOrCreate("fetch", FetchSettings.class);
        assertThat(fetch.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(fetch.maxBytes()).isEqualTo(DataSize.ofMegabytes(200));
        assertThat(fetch.maxFiles()).isEqualTo(5000);
        assertThat(fetch.maxFileSize()).isEqualTo(DataSize.ofMegabytes(20));
        assertThat(binder.bindOrCreate("fetch", SourceSizeLimit.class).maxSize())
                .isEqualTo(DataSize.ofMegabytes(300));
        assertThat(binder.bindOrCreate("queue", QueueSettings.class).maxLength())
                .isEqualTo(50);
        ApiSettings api = binder.bindOrCreate("api", ApiSettings.class);
        assertThat(api.token()).isEqualTo("t0ken");
        assertThat(api.readToken()).isEqualTo("re4d");
        assertThat(api.allowedHosts()).containsExactly("api.example.com", "*.internal");
        WebhookSettings github = binder.bindOrCreate("github", WebhookSettings.class);
        assertThat(github.webhookSecret()).isEqualTo("s3cret");
        assertThat(github.pushTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(github.maxPayloadSize()).isEqualTo(DataSize.ofKilobytes(512));
        assertThat(github.readsAtOnce()).isEqualTo(4);
        assertThat(github.readTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(binder.bindOrCreate("log.followers", LogFollowerSettings.class))
                .isEqualTo(new LogFollowerSettings(50, 3, DataSize.ofMegabytes(1)));
        assertThat(binder.bindOrCreate("max", RequestSizeLimit.class).requestSize())
                .isEqualTo(DataSize.ofKilobytes(16));
        assertThat(BoundSettings.of(SiteSettings.class, Map.of("SITE_URL_PATTERN", "https://{id}.sites.example.com/"))
                        .urlPattern())
                .isEqualTo("https://{id}.sites.example.com/");
    }

    @Test
    void withoutThemTheDefaultsAreGenerousAndTheSecretsUnset() {
        Binder binder = binderOf(Map.of());

        assertThat(binder.bindOrCreate("git", GitSettings.class)).isEqualTo(new GitSettings(List.of(), false));
        FetchSettings fetch = binder.bindOrCreate("fetch", FetchSettings.class);
        assertThat(fetch.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(fetch.maxBytes()).isEqualTo(DataSize.ofGigabytes(1));
        assertThat(fetch.maxFiles()).isEqualTo(100_000);
        assertThat(fetch.maxFileSize()).isEqualTo(DataSize.ofMegabytes(100));
        assertThat(binder.bindOrCreate("fetch", SourceSizeLimit.class).maxSize())
                .isEqualTo(DataSize.ofGigabytes(1));
        assertThat(binder.bindOrCreate("queue", QueueSettings.class))
                .isEqualTo(new QueueSettings(1000, Duration.ofSeconds(30)));
        ApiSettings api = binder.bindOrCreate("api", ApiSettings.class);
        assertThat(api.token()).isNull();
        assertThat(api.readToken()).isNull();
        assertThat(binder.bindOrCreate("max", RequestSizeLimit.class).requestSize())
                .isEqualTo(DataSize.ofKilobytes(64));
        assertThat(api.allowedHosts()).containsExactly("localhost", "127.0.0.1", "::1");
        WebhookSettings github = binder.bindOrCreate("github", WebhookSettings.class);
        assertThat(github.webhookSecret()).isNull();
        assertThat(github.deliveryTtl()).isEqualTo(Duration.ofHours(72));
        assertThat(github.pushTtl()).isEqualTo(Duration.ofDays(30));
        assertThat(github.maxPayloadSize()).isEqualTo(DataSize.ofMegabytes(1));
        assertThat(github.readsAtOnce()).isEqualTo(16);
        assertThat(github.readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(binder.bindOrCreate("log.followers", LogFollowerSettings.class))
                .isEqualTo(new LogFollowerSettings(200, 10, DataSize.ofKilobytes(256)));
    }

    @Test
    void secretsAreNotInTheSettingsToString() {
        assertThat(new ApiSettings("t0ken", "re4d", List.of()).toString())
                .doesNotContain("t0ken")
                .doesNotContain("re4d");
        assertThat(new WebhookSettings(
                                "s3cret",
                                Duration.ofHours(72),
                                Duration.ofDays(30),
                                DataSize.ofMegabytes(1),
                                16,
                                Duration.ofSeconds(5))
                        .toString())
                .doesNotContain("s3cret");
    }

    private static Binder binderOf(Map<String, String> environment) {
        return BoundSettings.binder(environment);
    }
}
