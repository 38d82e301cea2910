package dev.deploypipeline.site.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code site.requests} ({@code site_requests_total} in Prometheus): requests for sites' hosts, by the status they
 * were answered with. The actuator's own requests are not counted; Spring's {@code http.server.requests} counts
 * everything.
 */
@Component
class SiteRequests {

    private final MeterRegistry registry;

    SiteRequests(MeterRegistry registry) {
        this.registry = registry;
    }

    void answered(int status) {
        Counter.builder("site.requests")
                .description("Requests for deployed sites, by the HTTP status they were answered with")
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
    }
}
