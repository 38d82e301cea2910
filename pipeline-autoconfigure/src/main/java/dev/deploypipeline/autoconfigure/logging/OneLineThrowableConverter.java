package dev.deploypipeline.autoconfigure.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import dev.deploypipeline.text.Printable;
import java.util.Arrays;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

/**
 * Spring Boot's stack traces ({@code %wEx}), each exception's message kept to its line: an exception's message often
 * holds a stranger's text, a path a build made ({@code FileSystemException: dist/x\n2026-… ERROR …: File name too
 * long}) or a git server's answer, which must not forge lines of the service's log. The frames keep their lines.
 */
public class OneLineThrowableConverter extends ExtendedWhitespaceThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return super.throwableProxyToString(OneLine.of(proxy));
    }

    /** The exception as logback sees it, its message and its causes' kept to their lines. */
    private record OneLine(IThrowableProxy proxy) implements IThrowableProxy {

        static IThrowableProxy of(IThrowableProxy proxy) {
            return proxy == null || proxy instanceof OneLine ? proxy : new OneLine(proxy);
        }

        @Override
        public String getMessage() {
            return escaped(proxy.getMessage());
        }

        @Override
        public String getOverridingMessage() {
            return escaped(proxy.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return proxy.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return proxy.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return proxy.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return of(proxy.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = proxy.getSuppressed();
            return suppressed == null
                    ? null
                    : Arrays.stream(suppressed).map(OneLine::of).toArray(IThrowableProxy[]::new);
        }

        @Override
        public boolean isCyclic() {
            return proxy.isCyclic();
        }

        private static String escaped(String message) {
            return message == null ? null : Printable.oneLine(message);
        }
    }
}
