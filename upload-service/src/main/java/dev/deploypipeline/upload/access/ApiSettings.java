package dev.deploypipeline.upload.access;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the API and under which names ({@code API_TOKEN}, {@code API_READ_TOKEN}, {@code API_ALLOWED_HOSTS});
 * how much they may send is {@link RequestSizeLimit}'s.
 *
 * @param token the admin token; with it (or {@code readToken}) set, every call but the signed webhook needs a
 *     token, and tokens can be made with {@code POST /tokens}; with neither set the API is open and says so
 * @param readToken a token that may read everything and change nothing, for dashboards and monitors
 * @param allowedHosts the host names the API answers to ({@code Host} header, port ignored, any case);
 *     {@code *.example.com} allows the subdomains of {@code example.com}, {@code *} any host. A browser page
 *     that rebinds its own DNS name to this machine sends its own name, and is refused
 */
@ConfigurationProperties("api")
public record ApiSettings(
        String token,
        String readToken,
        @DefaultValue({"localhost", "127.0.0.1", "::1"}) List<String> allowedHosts) {

    public ApiSettings {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }

    boolean hasToken() {
        return isSet(token);
    }

    boolean hasReadToken() {
        return isSet(readToken);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        return "ApiSettings[token=" + (hasToken() ? "(set)" : "(unset)") + ", readToken="
                + (hasReadToken() ? "(set)" : "(unset)") + ", allowedHosts="
                + allowedHosts + "]";
    }
}
