package dev.deploypipeline.deploy.builder;

import dev.deploypipeline.deploy.log.BuildLog;
import dev.deploypipeline.deploy.log.OutputLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reads what a command prints (stdout and stderr, merged in the order it wrote them) on a thread of its own
 * and puts each line into the build log as it arrives, watching for one text if asked to.
 */
final class OutputPump {

    private static final Logger log = LoggerFactory.getLogger(OutputPump.class);
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(10);

    private final BuildLog buildLog;
    private final String trigger;
    private final Thread thread;
    private volatile boolean sawTrigger;

    private OutputPump(Process process, BuildLog buildLog, String trigger) {
        this.buildLog = buildLog;
        this.trigger = trigger;
        var context = MDC.getCopyOfContextMap();
        this.thread = new Thread(
                () -> {
                    if (context != null) {
                        MDC.setContextMap(context);
                    }
                    pump(process.getInputStream());
                },
                "build-output-" + process.pid());
        thread.setDaemon(true);
    }

    /** Starts reading at once, so a command never blocks on a full pipe. */
    static OutputPump start(Process process, BuildLog buildLog, String trigger) {
        OutputPump pump = new OutputPump(process, buildLog, trigger);
        pump.thread.start();
        return pump;
    }

    private void pump(InputStream output) {
        try (output) {
            OutputLines.read(output, line -> {
                if (trigger != null && line.contains(trigger)) {
                    sawTrigger = true;
                }
                buildLog.line(line);
            });
        } catch (IOException e) {
            log.debug("The output of a build command ended early: {}", e.toString()); // closed by finish()
        } catch (RuntimeException e) {
            log.warn("Could not write a build's output to its log; the rest is dropped", e);
            drain(output);
        }
    }

    private static void drain(InputStream output) {
        try {
            output.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the command is gone
        }
    }

    /**
     * Waits for the last lines once the command's processes are gone. If a process it left behind still holds
     * the output open (only where builds cannot have a PID namespace), the output is no longer read.
     */
    void finish(Process process) throws InterruptedException {
        thread.join(DRAIN_WAIT.toMillis());
        if (thread.isAlive()) {
            buildLog.line("[a process the command left running still holds its output; it is no longer read]");
            try {
                process.getInputStream().close();
            } catch (IOException ignored) {
                // closing is all that is wanted
            }
            thread.join(DRAIN_WAIT.toMillis());
        }
    }

    boolean sawTrigger() {
        return sawTrigger;
    }
}
