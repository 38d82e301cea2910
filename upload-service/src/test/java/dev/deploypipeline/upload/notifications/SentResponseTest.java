package dev.deploypipeline.upload.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which answers end a delivery at once: a refusal no retry changes, but not a rate limit or a server's trouble. */
class SentResponseTest {

    @Test
    void aClientErrorIsPermanentButATimeoutOrARateLimitIsNot() {
        for (int status : new int[] {400, 401, 403, 404, 410, 422}) {
            assertThat(new SentResponse(status, "", null).permanent())
                    .as("%d", status)
                    .isTrue();
        }
        for (int status : new int[] {408, 429, 500, 502, 503, 302}) {
            assertThat(new SentResponse(status, "", null).permanent())
                    .as("%d", status)
                    .isFalse();
        }
        assertThat(SentResponse.failed("no answer within 10s").permanent()).isFalse();
    }

    @Test
    void aRateLimited403IsTriedAgain() {
        assertThat(new SentResponse(403, "", null, true, null).permanent()).isFalse();
        assertThat(new SentResponse(403, "", null, true, Duration.ofSeconds(60)).permanent())
                .isFalse();
        assertThat(new SentResponse(404, "", null, true, Duration.ofSeconds(60)).permanent())
                .isTrue();
    }
}
