package dev.deploypipeline.upload.notifications;

import java.time.Duration;

/**
 * What a target answered to one try: its status (0 when there was none) and the start of its body, or why there
 * was no answer; whether the answer was a rate limit ({@code x-ratelimit-remaining: 0} or a {@code retry-after}),
 * and the pause it asked for in seconds ({@code retry-after}, null when not given so).
 */
record SentResponse(int status, String body, String error, boolean rateLimited, Duration retryAfter) {

    SentResponse(int status, String body, String error) {
        this(status, body, error, false, null);
    }

    static SentResponse failed(String error) {
        return new SentResponse(0, null, error);
    }

    boolean delivered() {
        return error == null && status >= 200 && status < 300;
    }

    /**
     * A refusal no retry changes: a 4xx other than 408 and 429, and other than a 403 that is a rate limit (GitHub
     * answers its limits so). Every other failure (no answer, 3xx, 5xx) is tried again.
     */
    boolean permanent() {
        boolean refused = status >= 400 && status < 500 && status != 408 && status != 429;
        return refused && !(status == 403 && rateLimited);
    }
}
