package dev.deploypipeline.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class TransientFaultsTest {

    private final TransientFaults retries =
            new TransientFaults(Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofMillis(5));

    @Test
    void retriesAConnectionFaultUntilTheStepSucceeds() {
        AtomicInteger calls = new AtomicInteger();

        String result = retries.get(() -> {
            if (calls.incrementAndGet() < 4) {
                throw new RedisConnectionException("connection refused");
            }
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(calls).hasValue(4);
    }

    @Test
    void doesNotRetryAFaultThatWillNotGoAwayByItself() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retries.run(() -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("build failed");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("build failed");

        assertThat(calls).hasValue(1);
    }

    @Test
    void givesUpAfterItsTimeAndRethrowsTheFault() {
        TransientFaults brief =
                new TransientFaults(Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(20));

        assertThatThrownBy(() -> brief.run(() -> {
                    throw new RedisConnectionException("down");
                }))
                .isInstanceOf(RedisConnectionException.class);
    }

    @Test
    void classifiesServerFaultsAsTransientAndClientErrorsAsNot() {
        assertThat(TransientFaults.isTransient(
                        S3Exception.builder().statusCode(503).build()))
                .isTrue();
        assertThat(TransientFaults.isTransient(
                        S3Exception.builder().statusCode(500).build()))
                .isTrue();
        assertThat(TransientFaults.isTransient(
                        S3Exception.builder().statusCode(404).build()))
                .isFalse();
        assertThat(TransientFaults.isTransient(
                        S3Exception.builder().statusCode(403).build()))
                .isFalse();
        assertThat(TransientFaults.isTransient(SdkClientException.create(
                        "Unable to execute HTTP request: refused", new IOException("refused"))))
                .isTrue();
        assertThat(TransientFaults.isTransient(new RedisCommandExecutionException("LOADING Redis is loading")))
                .isTrue();
        assertThat(TransientFaults.isTransient(new RedisCommandExecutionException("WRONGTYPE")))
                .isFalse();
        assertThat(TransientFaults.isTransient(new IllegalArgumentException("bad")))
                .isFalse();
    }

    @Test
    void classifiesABrokenOrUnreachableRedisConnectionAsTransient() {
        assertThat(TransientFaults.isTransient(new RedisException(new SocketException("Connection reset"))))
                .isTrue();
        assertThat(TransientFaults.isTransient(new RedisException("Connection closed")))
                .isTrue();
        assertThat(TransientFaults.isTransient(new RedisException(
                        "Request queue size exceeded: 1000. Commands are not accepted until the queue size drops.")))
                .isTrue();
        assertThat(TransientFaults.isTransient(new RedisException("ERR unknown command")))
                .isFalse();
        assertThat(TransientFaults.isTransient(new RedisException(new IllegalStateException("bad reply"))))
                .isFalse();
    }
}
