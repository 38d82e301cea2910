package dev.deploypipeline.upload.hooks;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A deploy hook called more often than its rate limit allows: 429 with {@code Retry-After}, when a call may go. */
class HookRateLimitedException extends ErrorResponseException {

    private final long retryAfterSeconds;

    HookRateLimitedException(Hook hook, HookSettings settings, Duration left) {
        super(HttpStatus.TOO_MANY_REQUESTS, problem(hook, settings), null);
        this.retryAfterSeconds = Math.max(1, (left.toMillis() + 999) / 1000);
    }

    @Override
    public HttpHeaders getHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return headers;
    }

    private static ProblemDetail problem(Hook hook, HookSettings settings) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.TOO_MANY_REQUESTS,
                "deploy hook " + hook.id() + " deploys at most " + settings.rateLimit() + " times per "
                        + settings.rateWindow() + " (HOOK_RATE_LIMIT, HOOK_RATE_WINDOW)");
        problem.setTitle("Too Many Requests");
        return problem;
    }
}
