package dev.deploypipeline.deploy;

import java.math.BigDecimal;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * A setting's value written back the way an operator writes it,
 * for messages: {@code 15m}, {@code 90s}, {@code 10MB}, {@code 0.5}.
 */
public final class SettingFormat {

    private SettingFormat() {}

    public static String duration(Duration duration) {
        if (duration.toMillisPart() != 0) {
            return duration.toMillis() + "ms";
        }
        if (duration.toSecondsPart() != 0 || duration.toMinutes() == 0) {
            return duration.toSeconds() + "s";
        }
        return duration.toMinutes() + "m";
    }

    public static String size(DataSize size) {
        long bytes = size.toBytes();
        for (String unit : new String[] {"GB", "MB", "KB"}) {
            long unitBytes = DataSize.parse("1" + unit).toBytes();
            if (bytes >= unitBytes && bytes % unitBytes == 0) {
                return bytes / unitBytes + unit;
            }
        }
        return bytes + "B";
    }

    /** A number of cores as written, without trailing zeros: {@code 1}, {@code 0.5}. */
    public static String cores(double cores) {
        return BigDecimal.valueOf(cores).stripTrailingZeros().toPlainString();
    }
}
