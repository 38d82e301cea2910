package dev.deploypipeline.deploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Host commands (mkfs, mount, umount) run to their end and say how it went, whatever interrupts the caller. */
class HostToolsTest {

    @Test
    void commandRunByAnInterruptedThreadEndsWithItsOwnResultAndTheInterruptIsKept() throws IOException {
        Thread.currentThread().interrupt();
        try {
            // Its output ends before it does, so the wait for its exit is the part an interrupt would cut short.
            HostTools.Result result =
                    HostTools.run(List.of("/bin/sh", "-c", "echo made; exec >/dev/null 2>&1; sleep 0.3; exit 3"));

            assertThat(result).isEqualTo(new HostTools.Result(3, "made"));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
