package dev.deploypipeline.upload.notifications;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What comes of one try: delivered, another try after a growing pause ({@code NOTIFY_BACKOFF}, doubled each time,
 * or the {@code retry-after} the target asked for), or given up on after {@code NOTIFY_MAX_ATTEMPTS}, or at once
 * when the answer is a refusal no retry changes (a 4xx such as 404 or 410: a Slack webhook revoked); recorded on
 * the delivery with the answer (the target's secret and token masked) and counted in {@code notify.deliveries} by
 * {@code type} and {@code outcome}.
 */
@Component
class TryOutcomes {

    private static final Logger log = LoggerFactory.getLogger(TryOutcomes.class);
    private static final List<String> OUTCOMES = List.of("delivered", "retried", "failed");

    private final DeliveryQueue queue;
    private final NotifySettings settings;
    private final Clock clock;
    private final MeterRegistry meters;

    TryOutcomes(DeliveryQueue queue, NotifySettings settings, Clock clock, MeterRegistry meters) {
        this.queue = queue;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        // Every series from zero, so a dashboard shows a type's deliveries before its first try.
        for (TargetType type : TargetType.values()) {
            for (String outcome : OUTCOMES) {
                counter(type, outcome);
            }
        }
    }

    void record(DeliveryQueue.Claim claim, NotificationTarget target, Delivery delivery, SentResponse answer) {
        Instant now = clock.instant();
        int attempts = delivery.attempts() + 1;
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("attempts", Integer.toString(attempts));
        fields.put("lastAttemptAt", now.toString());
        fields.put("lastStatus", Integer.toString(answer.status()));
        fields.put("lastResponse", masked(answer.body(), target));
        fields.put("lastError", answer.error() == null ? "" : masked(answer.error(), target));
        String outcome;
        if (answer.delivered()) {
            outcome = "delivered";
            fields.put("state", Delivery.DELIVERED);
            fields.put("deliveredAt", now.toString());
            fields.put("nextAttemptAt", "");
            queue.finish(claim, delivery.id(), now, fields);
        } else if (answer.permanent() || attempts >= settings.maxAttempts()) {
            outcome = "failed";
            fields.put("state", Delivery.FAILED);
            fields.put("nextAttemptAt", "");
            queue.finish(claim, delivery.id(), now, fields);
            log.warn(
                    "Gave up on notifying {} target {} of {} after {} tries: {}",
                    target.type().word(),
                    target.id(),
                    delivery.event().word(),
                    attempts,
                    answer.error() != null
                            ? fields.get("lastError")
                            : "status " + answer.status() + (answer.permanent() ? ", a refusal no retry changes" : ""));
        } else {
            outcome = "retried";
            Instant next = now.plus(settings.pauseAfter(attempts, answer.retryAfter()));
            fields.put("nextAttemptAt", next.toString());
            queue.retryAt(claim, delivery.id(), now, next, fields);
        }
        counter(target.type(), outcome).increment();
    }

    private Counter counter(TargetType type, String outcome) {
        return Counter.builder("notify.deliveries")
                .description("tries of notification deliveries, by target type and outcome")
                .tag("type", type.word())
                .tag("outcome", outcome)
                .register(meters);
    }

    /** An answer may echo what it was sent: the target's secret and token never show in the list. */
    private static String masked(String text, NotificationTarget target) {
        String shown = text == null ? "" : text;
        for (String secret : new String[] {target.secret(), target.token()}) {
            if (secret != null && secret.length() >= 4) {
                shown = shown.replace(secret, "***");
            }
        }
        return shown;
    }
}
