package dev.deploypipeline.deploy.egress;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the build's log, and this service's, of each connection its gateway refused. */
final class Refusals {

    private static final Logger log = LoggerFactory.getLogger(Refusals.class);
    private static final int LOGGED_AT_INFO = 20;

    private final String gateway;
    private final Consumer<String> buildLog;
    private final AtomicInteger count = new AtomicInteger();

    Refusals(String gateway, Consumer<String> buildLog) {
        this.gateway = gateway;
        this.buildLog = buildLog;
    }

    void report(Destination destination, String reason) {
        int refused = count.incrementAndGet();
        // A build that retries without end would fill this service's log; the build's own log is capped.
        if (refused <= LOGGED_AT_INFO) {
            log.info(
                    "Network gateway {} refused a connection to {}: {}{}",
                    gateway,
                    destination,
                    reason,
                    refused == LOGGED_AT_INFO ? " (further refusals are logged at DEBUG, and counted at close)" : "");
        } else {
            log.debug("Network gateway {} refused a connection to {}: {}", gateway, destination, reason);
        }
        try {
            buildLog.accept("[network] refused a connection to " + destination + ": " + reason);
        } catch (RuntimeException e) {
            log.warn("Could not write a refused connection of gateway {} to the build's log", gateway, e);
        }
    }

    int count() {
        return count.get();
    }
}
