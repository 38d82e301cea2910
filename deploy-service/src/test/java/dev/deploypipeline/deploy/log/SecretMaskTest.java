package dev.deploypipeline.deploy.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaskTest {

    private static final String SECRET = "s3cr3t+value/with?odd&chars ü";
    private final SecretMask mask = SecretMask.of(List.of(SECRET));

    @Test
    void theValueItselfIsHiddenWhereverItIs() {
        assertThat(mask.apply("token=" + SECRET + ";again " + SECRET)).isEqualTo("token=***;again ***");
    }

    @ParameterizedTest(name = "after {0} bytes")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 17})
    void itsBase64IsHiddenInsideALongerBase64TextAtEveryAlignment(int before) {
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        byte[] text = new byte[before + secret.length + 7];
        System.arraycopy(secret, 0, text, before, secret.length);
        for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            String encoded = encoder.encodeToString(text);
            String shown = mask.apply(encoded);

            assertThat(shown).contains(SecretMask.MASK);
            assertThat(decodable(shown)).doesNotContain("s3cr3t", "odd&chars");
            assertThat(shown.length()).isLessThan(encoded.length());
        }
    }

    @Test
    void itsBase64AsABuildPrintsItIsHidden() {
        String printed = Base64.getEncoder().encodeToString((SECRET + "\n").getBytes(StandardCharsets.UTF_8));

        assertThat(mask.apply(printed)).startsWith("***").doesNotContain(printed.substring(0, 8));
    }

    @Test
    void itsUrlEncodingsAreHidden() {
        String plus = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        String percent = plus.replace("+", "%20");

        assertThat(mask.apply("https://example.com/?key=" + plus)).isEqualTo("https://example.com/?key=***");
        assertThat(mask.apply("https://example.com/?key=" + percent)).isEqualTo("https://example.com/?key=***");
    }

    @Test
    void eachLineOfAValueOfSeveralLinesIsHidden() {
        SecretMask key =
                SecretMask.of(List.of("-----BEGIN KEY-----\nMIIEvQIBADANBgkq\r\nhkiG9w0BAQEFAASC\n-----END KEY-----"));

        assertThat(key.apply("MIIEvQIBADANBgkq")).isEqualTo("***");
        assertThat(key.apply("  hkiG9w0BAQEFAASC")).isEqualTo("  ***");
        assertThat(key.apply("-----BEGIN KEY-----\nMIIEvQIBADANBgkq\r\nhkiG9w0BAQEFAASC\n-----END KEY-----"))
                .isEqualTo("***");
    }

    @Test
    void valuesShorterThanFourCharactersAreLeftAloneAndOverlapsBecomeOneMask() {
        SecretMask several = SecretMask.of(List.of("abc", "1", "", "abcd1234", "1234wxyz"));

        assertThat(several.apply("abc 1 abcd1234wxyz.")).isEqualTo("abc 1 ***.");
        assertThat(several.apply("nothing to hide here")).isEqualTo("nothing to hide here");
        assertThat(SecretMask.NONE.apply("abcd1234")).isEqualTo("abcd1234");
    }

    @Test
    void theServiceKnowsItsAwsKeysRedisPasswordAndVariablesNamedAsSecrets() {
        Map<String, String> environment = Map.of(
                "AWS_SECRET_ACCESS_KEY",
                "aws-secret-key-value",
                "GITHUB_TOKEN",
                "ghp_tokenvalue",
                "DB_PASSWORD",
                "db-pass-value",
                "NODE_EXTRA_CA_CERTS",
                "/etc/ca.pem",
                "REDIS_URL",
                "redis://user:redis-pass-value@redis:6379/0");
        ServiceSecrets secrets = ServiceSecrets.of(
                environment, environment::get, URI.create("redis://:used-redis-password@127.0.0.1:6379"));

        String shown = secrets.mask()
                .apply("aws-secret-key-value ghp_tokenvalue db-pass-value redis-pass-value "
                        + "used-redis-password /etc/ca.pem");

        assertThat(shown).isEqualTo("*** *** *** *** *** /etc/ca.pem");
    }

    /** What can be read back from a text that was base64 with parts masked. */
    private static String decodable(String shown) {
        StringBuilder readable = new StringBuilder();
        for (String part : shown.split("\\*\\*\\*")) {
            String clean = part.replace('-', '+').replace('_', '/').replace("=", "");
            for (int start = 0; start < 4 && start < clean.length(); start++) {
                String aligned = clean.substring(start);
                aligned = aligned.substring(0, aligned.length() - aligned.length() % 4);
                readable.append(new String(Base64.getDecoder().decode(aligned), StandardCharsets.ISO_8859_1))
                        .append('|');
            }
        }
        return readable.toString();
    }
}
