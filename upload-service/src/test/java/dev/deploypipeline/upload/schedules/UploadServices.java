package dev.deploypipeline.upload.schedules;

import dev.deploypipeline.testing.MovableClock;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.upload.UploadServiceApplication;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Whole upload-services a test starts and stops itself, any number at once on the same servers, each reading the
 * test's {@link MovableClock}.
 */
final class UploadServices implements AutoCloseable {

    private final PipelineServers servers;
    private final MovableClock clock;
    private final Map<String, Object> settings;
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    UploadServices(PipelineServers servers, MovableClock clock, Map<String, Object> settings) {
        this.servers = servers;
        this.clock = clock;
        this.settings = settings;
    }

    /** The settings are given as arguments, which win over the service's {@code application.properties}. */
    ConfigurableApplicationContext start() {
        Map<String, Object> properties = new HashMap<>(servers.properties());
        properties.put("server.port", "0");
        properties.putAll(settings);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(UploadServiceApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("testClock", new TestClock(clock)))
                .sources(TestClockSource.class)
                .run(properties.entrySet().stream()
                        .map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                        .toArray(String[]::new));
        running.add(context);
        return context;
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    void stop(ConfigurableApplicationContext context) {
        context.close();
        running.remove(context);
    }

    @Override
    public void close() {
        List.copyOf(running).forEach(this::stop);
    }

    /** Holds the clock until the context asks for it. */
    record TestClock(MovableClock clock) {}

    /** Not a component (so no scan finds it): the service's {@link Clock}, which its own configuration yields to. */
    static class TestClockSource {

        @Bean
        @Primary
        Clock clock(TestClock holder) {
            return holder.clock();
        }
    }
}
