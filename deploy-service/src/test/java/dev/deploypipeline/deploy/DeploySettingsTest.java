package dev.deploypipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.deploy.sandbox.SandboxSettings;
import dev.deploypipeline.deploy.sandbox.UidRange;
import dev.deploypipeline.deploy.log.LogSettings;
import dev.deploypipeline.deploy.publish.SiteLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class DeploySettingsTest {

    @Test
    void unsetSettingsTakeTheDocumentedDefaults() {
        DeploySettings settings = new DeploySettings(0, null, null, "", null, null);

        assertThat(settings.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(settings.buildTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.workDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "deploy-builds"));
        assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.sourcesMaxSize()).isEqualTo(DataSize.ofGigabytes(1));
    }

    @Test
    void defaultReplicaNameIsHostPidAndARandomSuffixSoTwoProcessesNeverShareOne() {
        String first = new DeploySettings(1, null, null, null, null, null).replicaName();
        String second = new DeploySettings(1, null, null, null, null, null).replicaName();

        assertThat(first).matches("[a-z0-9-]+-" + ProcessHandle.current().pid() + "-[0-9a-f]{4}");
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void refusesABuildTimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> new DeploySettings(1, Duration.ZERO, null, null, null, null))
                .hasMessageContaining("build timeout must be positive");
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
        assertThat(new SandboxSettings(null, null, null, 0, null, List.of(" "), null))
                .isEqualTo(new SandboxSettings(SandboxSettings.Isolation.FULL, new UidRange(900_000_000, 900_000_999),
                        DataSize.ofGigabytes(2), 1024, DataSize.ofGigabytes(4), List.of(), List.of()));
        assertThat(LogSettings.defaults())
                .isEqualTo(new LogSettings(DataSize.ofMegabytes(10), 10_000, Duration.ofDays(1)));
        assertThat(SiteLimits.defaults()).isEqualTo(new SiteLimits(DataSize.ofMegabytes(500), 20_000));
    }
}
