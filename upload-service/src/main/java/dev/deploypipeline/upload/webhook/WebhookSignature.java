package dev.deploypipeline.upload.webhook;

import dev.deploypipeline.upload.limits.BodyLimit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the raw body under the
 * webhook's secret. The HMAC is computed as the body streams in, within its size limit, and compared in constant
 * time; nothing reads the body as JSON before it has matched.
 */
final class WebhookSignature {

    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern HEADER = Pattern.compile("sha256=[0-9a-fA-F]{64}");
    private static final int CHUNK = 8192;

    private final SecretKeySpec key;

    WebhookSignature(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The signature a header carries, if it has the shape of one; a delivery without it is not read at all. */
    static Optional<byte[]> presented(String header) {
        return header != null && HEADER.matcher(header).matches()
                ? Optional.of(HexFormat.of().parseHex(header.substring("sha256=".length())))
                : Optional.empty();
    }

    /**
     * Reads the body within {@code limit}, signing each piece as it arrives; the bytes, once the whole body
     * matched {@code presented}, else {@link InvalidSignatureException}.
     */
    byte[] verifiedBody(InputStream body, long declaredLength, BodyLimit limit, byte[] presented) throws IOException {
        Mac mac = newMac();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream bounded = limit.apply(body, declaredLength)) {
            byte[] chunk = new byte[CHUNK];
            for (int read = bounded.read(chunk); read >= 0; read = bounded.read(chunk)) {
                mac.update(chunk, 0, read);
                bytes.write(chunk, 0, read);
            }
        }
        if (!MessageDigest.isEqual(mac.doFinal(), presented)) {
            throw new InvalidSignatureException();
        }
        return bytes.toByteArray();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + ALGORITHM, e);
        }
    }
}
