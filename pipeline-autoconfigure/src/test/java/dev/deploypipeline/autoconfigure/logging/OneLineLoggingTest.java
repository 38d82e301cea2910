package dev.deploypipeline.autoconfigure.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The services' logging as {@code logback-spring.xml} sets it up, written to memory: a stranger's line breaks, in a
 * message or in an exception's, never start a line of the log.
 */
class OneLineLoggingTest {

    private static final String FORGED = "2026-12-03T10:00:00.000Z ERROR 1 --- [main] forged : deployment abc built";

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private Logger log;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void configure() throws JoranException {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback-spring.xml"));
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .noneMatch(status -> status.getLevel() >= ch.qos.logback.core.status.Status.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) root.getAppender("CONSOLE");
        OutputStreamAppender<ILoggingEvent> memory = new OutputStreamAppender<>();
        memory.setContext(context);
        memory.setEncoder(console.getEncoder()); // the console's pattern, written to memory
        memory.setOutputStream(written);
        memory.start();
        root.detachAppender(console);
        root.addAppender(memory);
        log = context.getLogger("dev.deploypipeline.Test");
    }

    @Test
    void aLineBreakInAMessagesArgumentIsWrittenEscapedAndForgesNoLine() {
        log.warn("Skipped the file {}", "index.html\n" + FORGED + "\r\n" + FORGED + "\u2028" + FORGED);

        List<String> lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .contains("Skipped the file index.html\\u000a2026-12-03", "\\u000d\\u000a", "\\u2028")
                .endsWith("deployment abc built");
    }

    @Test
    void aLineBreakInAnExceptionsMessageOrItsCausesIsWrittenEscapedWhileTheFramesKeepTheirLines() {
        Exception cause = new FileSystemException("/builds/1/dist/x\n" + FORGED + ": File name too long");
        Exception failure = new IllegalStateException("upload failed\n" + FORGED, cause);
        failure.addSuppressed(new RuntimeException("suppressed\n" + FORGED));

        log.error("Could not upload the site of {}", "abc", failure);

        List<String> lines = lines();
        assertThat(lines).noneMatch(line -> line.startsWith("2026-12-03T10:00"));
        assertThat(lines)
                .anyMatch(line -> line.startsWith("java.lang.IllegalStateException: upload failed\\u000a2026-12-03"))
                .anyMatch(line -> line.startsWith(
                        "Caused by: java.nio.file.FileSystemException: /builds/1/dist/x" + "\\u000a2026-12-03"))
                .anyMatch(line -> line.contains("Suppressed: java.lang.RuntimeException: suppressed\\u000a2026"))
                .anyMatch(line -> line.startsWith("\tat dev.deploypipeline.autoconfigure.logging.OneLineLoggingTest"));
    }

    @Test
    void aServicesOwnMessageWithTabsAndBackslashesIsWrittenAsItIs() {
        log.info("Copied C:\\sites\\a\tin 12 ms");

        assertThat(lines()).singleElement().asString().endsWith(" : Copied C:\\sites\\a\tin 12 ms");
    }

    private List<String> lines() {
        String text = written.toString(StandardCharsets.UTF_8);
        return Arrays.stream(text.split("\n")).filter(line -> !line.isEmpty()).toList();
    }
}
