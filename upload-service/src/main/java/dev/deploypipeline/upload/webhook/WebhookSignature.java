package dev.deploypipeline.upload.webhook;

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
 * webhook's secret. The HMAC is computed as the body streams in ({@link DeliveryBody}), and compared in constant
 * time; nothing reads the body as JSON before it has matched.
 */
final class WebhookSignature {

    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern HEADER = Pattern.compile("sha256=[0-9a-fA-F]{64}");

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

    /** Whether the body fed to {@code mac} is the one {@code presented} signs, compared in constant time. */
    static boolean matches(Mac mac, byte[] presented) {
        return MessageDigest.isEqual(mac.doFinal(), presented);
    }

    /** The HMAC of a body under the secret, to be fed each piece as it arrives. */
    Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + ALGORITHM, e);
        }
    }
}
