package dev.deploypipeline.site;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole handler on a random port, reading the shared {@link Pipeline}'s Redis and bucket. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RunningHandler {

    protected final Pipeline pipeline = Pipeline.shared();
    protected SiteClient client;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        Pipeline.shared().register(registry);
    }

    @BeforeEach
    void client() {
        client = new SiteClient(port);
    }

    protected int port() {
        return port;
    }
}
