package dev.deploypipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.deploy.log.LogSettings;
import dev.deploypipeline.deploy.publish.SiteLimits;
import dev.deploypipeline.deploy.sandbox.SandboxSettings;
import dev.deploypipeline.deploy.sandbox.UidRange;
import dev.deploypipeline.deploy.worker.RecoverySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/** What the service binds, in a context of its own configuration, from the documented variables alone. */
class DeploySettingsTest {

    @Test
    void unsetSettingsTakeTheDocumentedDefaults() {
        withEnvironment(Map.of(), context -> {
            DeploySettings settings = context.getBean(DeploySettings.class);
            assertThat(settings.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(settings.buildTimeout()).isEqualTo(Duration.ofMinutes(15));
            assertThat(settings.workDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "deploy-builds"));
            assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
            assertThat(settings.sourcesMaxSize()).isEqualTo(DataSize.ofGigabytes(1));
            assertThat(context.getBean(RecoverySettings.class))
                    .isEqualTo(new RecoverySettings(Duration.ofSeconds(30), Duration.ofSeconds(10), 3));
        });
    }

    @Test
    void theDocumentedVariablesSetEverySetting() {
        withEnvironment(
                Map.ofEntries(
                        Map.entry("DEPLOY_WORKERS", "3"),
                        Map.entry("BUILD_TIMEOUT", "90s"),
                        Map.entry("DEPLOY_WORK_DIR", "/srv/builds"),
                        Map.entry("DEPLOY_REPLICA_NAME", " replica-7 "),
                        Map.entry("DEPLOY_SHUTDOWN_GRACE", "1m"),
                        Map.entry("FETCH_MAX_SIZE", "300MB"),
                        Map.entry("DEPLOY_HEARTBEAT_TTL", "12s"),
                        Map.entry("DEPLOY_REAPER_INTERVAL", "4s"),
                        Map.entry("DEPLOY_MAX_ATTEMPTS", "5"),
                        Map.entry("BUILD_ISOLATION", "none"),
                        Map.entry("BUILD_UIDS", "200000-200009"),
                        Map.entry("BUILD_MEMORY", "1GB"),
                        Map.entry("BUILD_MAX_PROCESSES", "64"),
                        Map.entry("BUILD_CPUS", "0.5"),
                        Map.entry("BUILD_MAX_DISK", "2GB"),
                        Map.entry("BUILD_INHERIT_ENV", "NODE_EXTRA_CA_CERTS"),
                        Map.entry("BUILD_EGRESS_ALLOWED_HOSTS", "registry.corp:4873, mirror.corp"),
                        Map.entry("BUILD_LOG_MAX_SIZE", "1MB"),
                        Map.entry("BUILD_LOG_STREAM_MAX_LINES", "500"),
                        Map.entry("BUILD_LOG_STREAM_TTL", "2h"),
                        Map.entry("SITE_MAX_SIZE", "50MB"),
                        Map.entry("SITE_MAX_FILES", "100")),
                context -> {
                    assertThat(context.getBean(DeploySettings.class))
                            .isEqualTo(new DeploySettings(
                                    3,
                                    Duration.ofSeconds(90),
                                    Path.of("/srv/builds"),
                                    "replica-7",
                                    Duration.ofMinutes(1),
                                    DataSize.ofMegabytes(300)));
                    assertThat(context.getBean(RecoverySettings.class))
                            .isEqualTo(new RecoverySettings(Duration.ofSeconds(12), Duration.ofSeconds(4), 5));
                    assertThat(context.getBean(SandboxSettings.class))
                            .isEqualTo(new SandboxSettings(
                                    SandboxSettings.Isolation.NONE,
                                    new UidRange(200_000, 200_009),
                                    DataSize.ofGigabytes(1),
                                    64,
                                    0.5,
                                    DataSize.ofGigabytes(2),
                                    List.of("NODE_EXTRA_CA_CERTS"),
                                    List.of("registry.corp:4873", "mirror.corp")));
                    assertThat(context.getBean(LogSettings.class))
                            .isEqualTo(new LogSettings(DataSize.ofMegabytes(1), 500, Duration.ofHours(2)));
                    assertThat(context.getBean(SiteLimits.class))
                            .isEqualTo(new SiteLimits(DataSize.ofMegabytes(50), 100));
                });
    }

    @Test
    void defaultReplicaNameIsHostPidAndARandomSuffixSoTwoProcessesNeverShareOne() {
        String[] names = new String[2];
        withEnvironment(
                Map.of(),
                context -> names[0] = context.getBean(DeploySettings.class).replicaName());
        withEnvironment(
                Map.of(),
                context -> names[1] = context.getBean(DeploySettings.class).replicaName());

        assertThat(names[0]).matches("[a-z0-9-]+-" + ProcessHandle.current().pid() + "-[0-9a-f]{4}");
        assertThat(names[0]).isNotEqualTo(names[1]);
    }

    @Test
    void refusesABuildTimeoutThatIsNotPositive() {
        withEnvironment(
                Map.of("BUILD_TIMEOUT", "0s"),
                context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("build timeout must be positive"));
    }

    @Test
    void refusesBuildCpusBelowAHundredthOfACore() {
        for (String cpus : List.of("0", "-1", "0.001")) {
            withEnvironment(
                    Map.of("BUILD_CPUS", cpus),
                    context -> assertThat(context)
                            .hasFailed()
                            .getFailure()
                            .rootCause()
                            .hasMessageStartingWith("BUILD_CPUS must be a number of cores of at least 0.01"));
        }
    }

    @Test
    void buildUidsAreARangeAboveEveryUserAndSubordinateUidAMachineHandsOut() {
        assertThat(UidRange.valueOf("200000-200009")).isEqualTo(new UidRange(200_000, 200_009));
        assertThatThrownBy(() -> UidRange.valueOf("200009-200000")).hasMessageContaining("BUILD_UIDS");
        assertThatThrownBy(() -> UidRange.valueOf("0-10")).hasMessageContaining("1000 <= first");
        assertThatThrownBy(() -> UidRange.valueOf("lots")).hasMessageContaining("first-last");
    }

    @Test
    void durationsAndSizesReadAsTheyAreWritten() {
        assertThat(SettingFormat.duration(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(SettingFormat.duration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(SettingFormat.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(SettingFormat.size(DataSize.ofMegabytes(10))).isEqualTo("10MB");
        assertThat(SettingFormat.size(DataSize.ofGigabytes(1))).isEqualTo("1GB");
        assertThat(SettingFormat.size(DataSize.ofBytes(1500))).isEqualTo("1500B");
    }

    @Test
    void buildSettingsTakeTheDocumentedDefaults() {
        withEnvironment(Map.of(), context -> {
            assertThat(context.getBean(SandboxSettings.class))
                    .isEqualTo(new SandboxSettings(
                            SandboxSettings.Isolation.FULL,
                            new UidRange(900_000_000, 900_000_999),
                            DataSize.ofGigabytes(2),
                            1024,
                            null,
                            DataSize.ofGigabytes(4),
                            List.of("NODE_EXTRA_CA_CERTS", "COREPACK_NPM_REGISTRY", "COREPACK_INTEGRITY_KEYS"),
                            List.of()));
            assertThat(context.getBean(LogSettings.class))
                    .isEqualTo(new LogSettings(DataSize.ofMegabytes(10), 10_000, Duration.ofDays(1)));
            assertThat(context.getBean(SiteLimits.class)).isEqualTo(new SiteLimits(DataSize.ofMegabytes(500), 20_000));
        });
    }

    @Test
    void blankEntriesOfAListAreLeftOut() {
        withEnvironment(Map.of("BUILD_INHERIT_ENV", " ", "BUILD_EGRESS_ALLOWED_HOSTS", "a.corp, ,b.corp"), context -> {
            assertThat(context.getBean(SandboxSettings.class).inheritEnv()).isEmpty();
            assertThat(context.getBean(SandboxSettings.class).egressAllowedHosts())
                    .containsExactly("a.corp", "b.corp");
        });
    }

    /** The service's settings and its own configuration, with {@code variables} as all its environment holds. */
    private static void withEnvironment(Map<String, String> variables, Consumer<AssertableApplicationContext> check) {
        new ApplicationContextRunner()
                .withInitializer(context -> {
                    var sources = context.getEnvironment().getPropertySources();
                    sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
                    sources.replace(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            new SystemEnvironmentPropertySource(
                                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                    new HashMap<String, Object>(variables)));
                })
                .withUserConfiguration(Settings.class)
                .run(check::accept);
    }

    @Configuration(proxyBeanMethods = false)
    @ConfigurationPropertiesScan(basePackageClasses = DeployServiceApplication.class)
    @Import(DeployConfiguration.class)
    static class Settings {}
}
