package dev.deploypipeline.deploy.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a request head sent to the gate is read: where it goes, and what the origin is sent. */
class ProxyRequestTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "CONNECT Registry.Example.:443  | registry.example:443",
                "CONNECT [2001:DB8::1]:8443     | [2001:db8::1]:8443",
                "GET http://example.test/x      | example.test:80",
                "GET http://u:p@example.test:81 | example.test:81",
                "GET http://[::1]/              | [::1]:80"
            })
    void theDestinationIsTheHostAndPortInTheFormThePolicyCompares(String requestLine, String destination)
            throws MalformedRequestException {
        assertThat(request(requestLine).destination()).hasToString(destination);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "GET http://example.test HTTP/1.1           | GET / HTTP/1.1",
                "GET http://example.test?q=1 HTTP/1.1       | GET /?q=1 HTTP/1.1",
                "POST http://example.test/a/b#part HTTP/1.0 | POST /a/b HTTP/1.0"
            })
    void anAbsoluteUrlGoesOnInOriginFormWithoutItsFragment(String requestLine, String originLine)
            throws MalformedRequestException {
        String head = StandardCharsets.ISO_8859_1
                .decode(ProxyRequest.of(RequestHead.parse(requestLine + "\r\n\r\n"))
                        .preamble())
                .toString();

        assertThat(head).startsWith(originLine + "\r\nHost: example.test").endsWith("Connection: close\r\n\r\n");
    }

    @Test
    void bytesAfterTheHeadFollowThePreamble() throws MalformedRequestException {
        ProxyRequest request =
                request("GET http://example.test/ HTTP/1.1").followedBy(StandardCharsets.ISO_8859_1.encode("body"));

        assertThat(StandardCharsets.ISO_8859_1.decode(request.preamble()).toString())
                .endsWith("\r\n\r\nbody");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "GET https://example.test/ HTTP/1.1     | https URLs go through a CONNECT tunnel",
                "GET ftp://example.test/ HTTP/1.1       | this is a proxy",
                "CONNECT example.test HTTP/1.1          | has no port",
                "CONNECT 2001:db8::1:443 HTTP/1.1       | is not a host and port",
                "CONNECT example.test:http HTTP/1.1     | is not a host and port",
                "GET http://exa%6dple.test/ HTTP/1.1    | is not a host and port",
                "GET http://example.test/ HTTP/2.0      | the request line is not METHOD target HTTP/1.x"
            })
    void requestsTheGateCannotServeAreMalformed(String requestLine, String reason) {
        assertThatThrownBy(() -> request(requestLine))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageContaining(reason);
    }

    private static ProxyRequest request(String requestLine) throws MalformedRequestException {
        String line = requestLine.contains(" HTTP/") ? requestLine : requestLine + " HTTP/1.1";
        return ProxyRequest.of(RequestHead.parse(line + "\r\nHost: ignored\r\n\r\n"));
    }
}
