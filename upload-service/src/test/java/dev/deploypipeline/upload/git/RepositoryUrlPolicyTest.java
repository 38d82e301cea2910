package dev.deploypipeline.upload.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.network.RefusedHostException;
import java.net.InetAddress;
import java.net.URL;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The URL policy as a table, on fake DNS answers: nothing here opens a connection or asks a real resolver,
 * and IP literals never reach the resolver at all.
 */
class RepositoryUrlPolicyTest {

    private static final Map<String, List<String>> DNS = Map.of(
            "github.com", List.of("140.82.112.3"),
            "gitlab.example", List.of("2a01:4f8::1"),
            "internal.example", List.of("10.1.2.3"),
            "metadata.example", List.of("169.254.169.254"),
            "half-private.example", List.of("140.82.112.4", "127.0.0.1"),
            "ula.example", List.of("fd12:3456::1"),
            "mapped.example", List.of("::ffff:192.168.1.1"),
            "git.corp", List.of("10.9.9.9"));

    private final List<String> asked = new ArrayList<>();
    private final RepositoryUrlPolicy policy = policy(List.of("git.corp", "127.0.0.1:8080"), false);

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "https://github.com/acme/site.git",
                "https://github.com/acme/site",
                "HTTPS://GitHub.com/acme/site.git",
                "https://gitlab.example:8443/acme/site.git",
                "https://140.82.112.3/acme/site.git",
                "http://git.corp/acme/site.git",
                "https://git.corp:9000/acme/site.git",
                "http://127.0.0.1:8080/site"
            })
    void allowsPublicHttpsHostsAndAllowedHosts(String url) {
        assertThat(policy.check(url).withoutCredentials()).isNotBlank();
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', textBlock = """
        file:///etc/passwd                              | scheme is refused
        file:/etc/passwd                                | scheme is refused
        git://github.com/acme/site.git                  | scheme is refused
        ssh://git@github.com/acme/site.git              | scheme is refused
        git@github.com:acme/site.git                    | scp-like
        github.com:acme/site.git                        | scp-like
        ext::sh                                         | transport helpers
        fd::17                                          | transport helpers
        -uhttps://github.com/x                          | must not start with '-'
        --upload-pack=touch /tmp/x                      | must not start with '-'
        https://github.com/acme/site with space         | spaces
        /srv/git/site.git                               | https:// URL
        http://github.com/acme/site.git                 | plain http
        http://127.0.0.1:8081/site                      | plain http
        https://127.0.0.1/site                          | loopback
        https://127.0.0.1:8081/site                     | loopback
        https://localhost.localdomain.internal.example/ | could not be resolved
        https://[::1]/site                              | loopback
        https://0.0.0.0/site                            | unspecified
        https://[::]/site                               | unspecified
        https://2130706433/site                         | unusual form
        https://0x7f.1/site                             | no valid host
        https://0x7f000001/site                         | unusual form
        https://017700000001/site                       | unusual form
        https://0177.0.0.1/site                         | unusual form
        https://127.1/site                              | no valid host
        https://169.254.169.254/latest/meta-data        | link-local
        https://[fe80::1]/site                          | link-local
        https://[fe80::1%25eth0]/site                   | network interface
        https://10.0.0.1/site                           | private
        https://172.16.5.4/site                         | private
        https://172.31.255.255/site                     | private
        https://192.168.1.1/site                        | private
        https://100.64.0.1/site                         | carrier-grade NAT
        https://[fc00::1]/site                          | unique-local
        https://[fd00::1]/site                          | unique-local
        https://224.0.0.1/site                          | multicast
        https://[ff02::1]/site                          | multicast
        https://255.255.255.255/site                    | broadcast
        https://[::ffff:127.0.0.1]/site                 | loopback
        https://[::ffff:7f00:1]/site                    | loopback
        https://[::ffff:169.254.169.254]/site           | link-local
        https://[::ffff:10.0.0.1]/site                  | private
        https://[64:ff9b::a00:1]/site                   | private
        https://[2002:a00:1::]/site                     | private
        https://[::127.0.0.1]/site                      | IPv4-compatible
        https://internal.example/site                   | resolves to 10.1.2.3, a private
        https://metadata.example/site                   | resolves to 169.254.169.254, a link-local
        https://half-private.example/site               | resolves to 127.0.0.1, a loopback
        https://ula.example/site                        | unique-local
        https://mapped.example/site                     | resolves to 192.168.1.1, a private
        https://nowhere.example/site                    | could not be resolved
        https://user:secret@github.com/acme/site.git    | GIT_ALLOW_CREDENTIALS
        https://token@github.com/acme/site.git          | GIT_ALLOW_CREDENTIALS
        https://github.com:99999/acme/site.git          | invalid port
        https://exa_mple.com/site                       | no valid host
        """)
    void refusesWithAReason(String url, String reason) {
        assertThatThrownBy(() -> policy.check(url))
                .isInstanceOf(InvalidRepositoryUrlException.class)
                .hasMessageContaining(reason)
                .hasMessageNotContaining("secret");
    }

    @Test
    void literalAddressesAreNeverSentToTheResolver() {
        assertThatThrownBy(() -> policy.check("https://10.0.0.1/site"))
                .isInstanceOf(InvalidRepositoryUrlException.class);
        assertThatThrownBy(() -> policy.check("https://2130706433/site"))
                .isInstanceOf(InvalidRepositoryUrlException.class);
        policy.check("https://140.82.112.3/site");

        assertThat(asked).isEmpty();
    }

    @Test
    void credentialsAreAllowedWhenTheSettingSaysSoAndKeptOutOfTheUrl() {
        RepositoryUrl url = policy(List.of(), true).check("https://user:secret@github.com/acme/site.git");

        assertThat(url.username()).isEqualTo("user");
        assertThat(url.password()).isEqualTo("secret");
        assertThat(url.withoutCredentials()).isEqualTo("https://github.com/acme/site.git");
        assertThat(url.toString()).doesNotContain("secret");
    }

    @Test
    void connectionsFollowTheSameRulesAsRequests() throws Exception {
        assertThat(policy.checkConnection(new URL("https://github.com/acme/site.git/info/refs")))
                .isFalse();
        assertThat(policy.checkConnection(new URL("http://127.0.0.1:8080/site/info/refs")))
                .isTrue();
        assertThat(policy.checkConnection(new URL("https://git.corp/site/info/refs")))
                .isTrue();

        for (String redirect : List.of(
                "http://github.com/acme/site.git/info/refs",
                "http://169.254.169.254/latest/info/refs",
                "ftp://github.com/x",
                "https://user:pw@github.com/x",
                "https://2130706433/x/info/refs",
                "http://127.0.0.1:8081/site/info/refs")) {
            assertThatThrownBy(() -> policy.checkConnection(new URL(redirect)))
                    .as(redirect)
                    .isInstanceOf(RefusedHostException.class);
        }
    }

    @Test
    void anAllowedHostOnAnotherPortIsCheckedLikeAnyOtherHost() throws Exception {
        assertThat(policy.checkConnection(new URL("https://127.0.0.1:9999/site/info/refs")))
                .isFalse();

        assertThatThrownBy(() -> policy.resolvePublic("127.0.0.1"))
                .isInstanceOf(RefusedHostException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void theAddressesConnectedToAreTheCheckedAnswerOfTheMomentSoARebindingIsRefused() throws Exception {
        Map<String, List<String>> answers = new HashMap<>(Map.of("rebind.example", List.of("140.82.112.5")));
        RepositoryUrlPolicy rebinding =
                new RepositoryUrlPolicy(new GitSettings(List.of(), false), host -> addresses(answers.get(host)));
        rebinding.check("https://rebind.example/site.git");
        assertThat(rebinding.resolvePublic("rebind.example"))
                .extracting(InetAddress::getHostAddress)
                .containsExactly("140.82.112.5");

        answers.put("rebind.example", List.of("127.0.0.1"));

        assertThatThrownBy(() -> rebinding.resolvePublic("rebind.example"))
                .isInstanceOf(RefusedHostException.class)
                .hasMessageContaining("resolves to 127.0.0.1, a loopback");
    }

    @Test
    void allowedHostsAreResolvedWithoutTheAddressCheck() throws Exception {
        assertThat(policy.resolveAllowed("git.corp"))
                .extracting(InetAddress::getHostAddress)
                .containsExactly("10.9.9.9");
        assertThatThrownBy(() -> policy.resolvePublic("git.corp")).isInstanceOf(RefusedHostException.class);
    }

    private RepositoryUrlPolicy policy(List<String> allowedHosts, boolean allowCredentials) {
        return new RepositoryUrlPolicy(new GitSettings(allowedHosts, allowCredentials), host -> {
            asked.add(host);
            return addresses(DNS.get(host));
        });
    }

    private static List<InetAddress> addresses(List<String> literals) throws UnknownHostException {
        if (literals == null) {
            throw new UnknownHostException();
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String literal : literals) {
            addresses.add(InetAddress.getByName(literal));
        }
        return addresses;
    }
}
