package dev.deploypipeline.autoconfigure.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.deploypipeline.text.Printable;

/**
 * A log event's message kept to its line ({@link Printable#oneLine}): a repository's file name, a branch or a build's
 * output that reaches a message cannot end the line and forge another, attributed to another deployment.
 * {@code logback-spring.xml} puts it in place of logback's {@code %m}, {@code %msg} and {@code %message}.
 */
public class OneLineMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Printable.oneLine(super.convert(event));
    }
}
