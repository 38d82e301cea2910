package dev.deploypipeline.upload.webhook;

import dev.deploypipeline.upload.limits.RequestTooLargeException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.crypto.Mac;
import org.springframework.util.unit.DataSize;

/**
 * A delivery's body, read as it arrives (non-blocking), so a sender that is slow holds no thread, only its place
 * among {@code GITHUB_READS_AT_ONCE} until {@code GITHUB_READ_TIMEOUT}. Each piece is signed and kept, within
 * {@code GITHUB_MAX_PAYLOAD_SIZE}; once all of it has arrived and matched the signature presented, {@code onBody}
 * has it, else {@code onFailure} has why (too large, a signature that does not match, the connection lost). One of
 * them is called, once; after {@link #abandon} neither is.
 */
final class DeliveryBody implements ReadListener {

    private static final int CHUNK = 8192;

    private final ServletInputStream in;
    private final Mac mac;
    private final byte[] presented;
    private final DataSize max;
    private final Consumer<byte[]> onBody;
    private final Consumer<RuntimeException> onFailure;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicBoolean ended = new AtomicBoolean();

    DeliveryBody(
            ServletInputStream in,
            Mac mac,
            byte[] presented,
            DataSize max,
            Consumer<byte[]> onBody,
            Consumer<RuntimeException> onFailure) {
        this.in = in;
        this.mac = mac;
        this.presented = presented;
        this.max = max;
        this.onBody = onBody;
        this.onFailure = onFailure;
    }

    @Override
    public void onDataAvailable() throws IOException {
        byte[] chunk = new byte[CHUNK];
        while (!ended.get() && in.isReady()) {
            int read = in.read(chunk);
            if (read < 0) {
                return;
            }
            if (bytes.size() + (long) read > max.toBytes()) {
                fail(new RequestTooLargeException(max));
                return;
            }
            mac.update(chunk, 0, read);
            bytes.write(chunk, 0, read);
        }
    }

    @Override
    public void onAllDataRead() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (WebhookSignature.matches(mac, presented)) {
            onBody.accept(bytes.toByteArray());
        } else {
            onFailure.accept(new InvalidSignatureException());
        }
    }

    @Override
    public void onError(Throwable t) {
        fail(new IllegalStateException("the delivery's body could not be read: " + t.getMessage(), t));
    }

    /** Nothing more is read or answered: the delivery's time ran out. */
    void abandon() {
        ended.set(true);
    }

    private void fail(RuntimeException reason) {
        if (ended.compareAndSet(false, true)) {
            onFailure.accept(reason);
        }
    }
}
