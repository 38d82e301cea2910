package dev.deploypipeline.upload.dashboard;

import dev.deploypipeline.upload.access.PublicEndpoint;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /}: the dashboard's page, built with the service (README, "Dashboard"). It holds no data: its script
 * asks for a token when the API wants one, and then calls the documented API like any client.
 */
@RestController
class DashboardController {

    static final String PAGE = "dashboard/index.html";
    private static final byte[] NOT_BUILT = "the dashboard was not built with this service (./mvnw package builds it)\n"
            .getBytes(StandardCharsets.UTF_8);

    @PublicEndpoint("the dashboard's page holds no data; it asks for a token before it calls the API")
    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<Resource> page() {
        Resource page = new ClassPathResource(PAGE);
        if (!page.exists()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .contentType(MediaType.TEXT_PLAIN)
                    .body(new ByteArrayResource(NOT_BUILT));
        }
        // Always asked again: its scripts' names change with each build.
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noCache())
                .contentType(MediaType.TEXT_HTML)
                .body(page);
    }
}
