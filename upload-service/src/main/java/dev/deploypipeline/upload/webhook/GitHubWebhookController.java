package dev.deploypipeline.upload.webhook;

import dev.deploypipeline.upload.access.PublicEndpoint;
import dev.deploypipeline.upload.deployments.ServiceBusyException;
import dev.deploypipeline.upload.limits.RequestTooLargeException;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /webhooks/github}: off (404) without {@code GITHUB_WEBHOOK_SECRET}; otherwise every delivery
 * must carry a valid {@code X-Hub-Signature-256} (401; one without a well-formed header is not even read), checked
 * as the body streams in within {@code GITHUB_MAX_PAYLOAD_SIZE} (413) and {@code GITHUB_READ_TIMEOUT} (408), is
 * handled once per {@code X-GitHub-Delivery} (a repeat is 409), and then: {@code ping} 200, {@code push} 202 with
 * the deployment it started (or 200 when it is ignored), any other event 200 and ignored.
 */
@RestController
class GitHubWebhookController {

    private static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern EVENT = Pattern.compile("[a-z_]{1,64}");

    private static final Duration RETRY_READ = Duration.ofSeconds(5);

    private final Semaphore reading;
    private final WebhookSettings settings;
    private final WebhookSignature signature;
    private final DeliveryLedger deliveries;
    private final PushDeployer pushes;
    private final JsonMapper json;

    GitHubWebhookController(WebhookSettings settings, DeliveryLedger deliveries, PushDeployer pushes, JsonMapper json) {
        this.settings = settings;
        this.reading = new Semaphore(settings.readsAtOnce());
        this.signature = settings.enabled() ? new WebhookSignature(settings.webhookSecret()) : null;
        this.deliveries = deliveries;
        this.pushes = pushes;
        this.json = json;
    }

    @PublicEndpoint("GitHub signs every delivery with GITHUB_WEBHOOK_SECRET (X-Hub-Signature-256)")
    @PostMapping("/webhooks/github")
    DeferredResult<ResponseEntity<WebhookAnswer>> receive(
            HttpServletRequest request,
            @RequestHeader(name = "X-GitHub-Event", required = false) String event,
            @RequestHeader(name = "X-GitHub-Delivery", required = false) String delivery,
            @RequestHeader(name = "X-Hub-Signature-256", required = false) String signed)
            throws IOException {
        if (!settings.enabled()) {
            throw new WebhookDisabledException();
        }
        byte[] presented = WebhookSignature.presented(signed).orElseThrow(InvalidSignatureException::new);
        if (request.getContentLengthLong() > settings.maxPayloadSize().toBytes()) {
            throw new RequestTooLargeException(settings.maxPayloadSize());
        }
        if (event == null
                || !EVENT.matcher(event).matches()
                || delivery == null
                || !DELIVERY.matcher(delivery).matches()) {
            throw new InvalidRequestException("X-GitHub-Event and X-GitHub-Delivery are required");
        }
        return read(request, presented, body -> answer(event, delivery, body, request.getContentType()));
    }

    /**
     * The answer to a delivery, once its body has arrived and its signature matched. Anyone may send one, and each
     * is held until it has all arrived: only {@code GITHUB_READS_AT_ONCE} are read at a time, so slow senders hold at
     * most that many payloads in memory, and the rest are told 503 to try again; and none for longer than {@code
     * GITHUB_READ_TIMEOUT}, so slow senders cannot keep the others out. The body is read without blocking (a {@link
     * DeliveryBody}, set once Spring has started the request's async handling), so a sender that stops sending holds
     * no thread, and loses its place when the answer's time runs out, whatever the server's connection timeout.
     */
    private DeferredResult<ResponseEntity<WebhookAnswer>> read(
            HttpServletRequest request, byte[] presented, Function<byte[], ResponseEntity<WebhookAnswer>> answer)
            throws IOException {
        if (!reading.tryAcquire()) {
            throw new ServiceBusyException(
                    "GITHUB_READS_AT_ONCE (" + settings.readsAtOnce()
                            + ") webhook deliveries are being read already; try again shortly",
                    RETRY_READ);
        }
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable release = () -> {
            if (held.compareAndSet(true, false)) {
                reading.release();
            }
        };
        try {
            DeferredResult<ResponseEntity<WebhookAnswer>> result =
                    new DeferredResult<>(settings.readTimeout().toMillis());
            DeliveryBody body = new DeliveryBody(
                    request.getInputStream(),
                    signature.newMac(),
                    presented,
                    settings.maxPayloadSize(),
                    bytes -> {
                        release.run();
                        try {
                            result.setResult(answer.apply(bytes));
                        } catch (RuntimeException e) {
                            result.setErrorResult(e);
                        }
                    },
                    failure -> {
                        release.run();
                        result.setErrorResult(failure);
                    });
            result.onTimeout(() -> {
                body.abandon();
                release.run();
                result.setErrorResult(new DeliveryTimedOutException(settings.readTimeout()));
            });
            result.onCompletion(release);
            WebAsyncUtils.getAsyncManager(request)
                    .registerDeferredResultInterceptor(DeliveryBody.class, new DeferredResultProcessingInterceptor() {
                        @Override
                        public <T> void preProcess(NativeWebRequest webRequest, DeferredResult<T> deferred)
                                throws IOException {
                            request.getInputStream().setReadListener(body);
                        }
                    });
            return result;
        } catch (IOException | RuntimeException e) {
            release.run();
            throw e;
        }
    }

    private ResponseEntity<WebhookAnswer> answer(String event, String delivery, byte[] body, String contentType) {
        if (!deliveries.firstTime(delivery)) {
            throw new DuplicateDeliveryException(delivery);
        }
        try {
            return handle(event, body, contentType);
        } catch (RuntimeException e) {
            deliveries.forget(delivery);
            throw e;
        }
    }

    private ResponseEntity<WebhookAnswer> handle(String event, byte[] body, String contentType) {
        switch (event) {
            case "ping":
                return ResponseEntity.ok(WebhookAnswer.message("pong"));
            case "push":
                if (contentType == null
                        || !contentType.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_JSON_VALUE)) {
                    throw new InvalidRequestException("set the webhook's content type to application/json");
                }
                WebhookAnswer answer = pushes.deploy(parse(body));
                return ResponseEntity.status(answer.id() != null ? HttpStatus.ACCEPTED : HttpStatus.OK)
                        .body(answer);
            default:
                return ResponseEntity.ok(WebhookAnswer.message("ignored: " + event + " events are not deployed"));
        }
    }

    private PushEvent parse(byte[] body) {
        try {
            PushEvent push = json.readValue(body, PushEvent.class);
            if (push == null) {
                throw new InvalidRequestException("the push payload is empty: a JSON object is expected");
            }
            return push;
        } catch (JacksonException e) {
            throw new InvalidRequestException("the push payload cannot be read: " + e.getOriginalMessage());
        }
    }
}
