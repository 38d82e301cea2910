package dev.deploypipeline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.testing.LocalProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/run-local.sh pointed at a Redis of the user's own ({@code REDIS_URL}) with a password, in the URL forms the
 * README shows: it is checked as the services read it, with the password never on a command line.
 */
class RunLocalScriptTest {

    private static final Path SCRIPT =
            Path.of("..", "scripts", "run-local.sh").toAbsolutePath().normalize();
    private static final String PASSWORD = "s3cret-pass";

    private static int port;
    private static Process redis;

    @TempDir
    Path temp;

    @BeforeAll
    static void startRedisWithAPassword() throws IOException {
        port = LocalProcess.freePort();
        redis = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--requirepass",
                        PASSWORD,
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        await().atMost(Duration.ofSeconds(10)).until(RunLocalScriptTest::redisListens);
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        redis.destroy();
        redis.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void aRedisUrlWithOnlyAPasswordIsAcceptedAndThePasswordIsNeverPrinted() {
        ProgramRun run = infraOnly("redis://:" + PASSWORD + "@127.0.0.1:" + port);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("using the Redis at REDIS_URL").doesNotContain(PASSWORD);
    }

    @Test
    void aRedisUrlWithAUserAndAPercentEncodedPasswordIsAccepted() {
        ProgramRun run = infraOnly("redis://default:" + PASSWORD.replace("-", "%2D") + "@127.0.0.1:" + port + "/0");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("using the Redis at REDIS_URL");
    }

    @Test
    void aWrongPasswordIsRefusedAtOnceWithTheSettingNamed() {
        ProgramRun run = infraOnly("redis://:wrong@127.0.0.1:" + port);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("the Redis at REDIS_URL does not answer PING");
    }

    /** Infrastructure only, both servers the user's own: the script checks them, prints how to use them, ends. */
    private ProgramRun infraOnly(String redisUrl) {
        return ProgramRun.of(
                List.of(SCRIPT.toString()),
                Map.of(
                        "REDIS_URL", redisUrl,
                        "S3_ENDPOINT", "http://127.0.0.1:9",
                        "LOCAL_INFRA_ONLY", "1",
                        "LOCAL_SKIP_BUILD", "1"),
                Duration.ofMinutes(2),
                temp.resolve("run-local.log"));
    }

    private static boolean redisListens() {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }
}
