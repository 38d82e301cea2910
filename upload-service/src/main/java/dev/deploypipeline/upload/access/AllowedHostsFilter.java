package dev.deploypipeline.upload.access;

import dev.deploypipeline.network.AddressPolicy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers only to the host names of {@code API_ALLOWED_HOSTS} (the loopback names by default), whatever address
 * the request came to: a web page that rebinds its own DNS name to this machine still sends its own name as
 * {@code Host}, and is refused with 421 before anything else runs. Tokens or not, every request is checked.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AllowedHostsFilter extends OncePerRequestFilter {

    private static final int MAX_SHOWN = 253;

    private final List<String> allowed;
    private final FilterProblems problems;

    AllowedHostsFilter(ApiSettings settings, FilterProblems problems) {
        this.allowed = settings.allowedHosts().stream()
                .map(AddressPolicy::normalizeHost)
                .toList();
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String host = hostName(request.getHeader(HttpHeaders.HOST));
        if (isAllowed(host)) {
            chain.doFilter(request, response);
            return;
        }
        String shown = host.length() > MAX_SHOWN ? host.substring(0, MAX_SHOWN) + "…" : host;
        problems.write(
                response,
                HttpStatus.MISDIRECTED_REQUEST,
                "Misdirected request",
                "this API does not answer to " + "the host name " + shown
                        + "; add it to API_ALLOWED_HOSTS to call the API by that name");
    }

    /**
     * The name of the {@code Host} header without its port, as sent: never the server name, which forwarded headers
     * (trusted from loopback) can change, and a page that rebinds DNS can set those.
     */
    static String hostName(String header) {
        if (header == null) {
            return "";
        }
        String value = header.trim();
        int end = value.startsWith("[") ? value.indexOf(']') + 1 : value.indexOf(':');
        return AddressPolicy.normalizeHost(end > 0 ? value.substring(0, end) : value);
    }

    boolean isAllowed(String host) {
        return allowed.stream()
                .anyMatch(entry -> entry.equals("*")
                        || entry.equals(host)
                        || entry.startsWith("*.") && host.endsWith(entry.substring(1)));
    }
}
