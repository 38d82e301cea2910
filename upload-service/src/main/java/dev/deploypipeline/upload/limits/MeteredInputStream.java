package dev.deploypipeline.upload.limits;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A stream that tells its {@link Meter} how many bytes each read returned; the meter may stop it by throwing. */
public final class MeteredInputStream extends FilterInputStream {

    /** Counts bytes as they are read. */
    @FunctionalInterface
    public interface Meter {
        void read(int bytes) throws IOException;
    }

    private final Meter meter;

    public MeteredInputStream(InputStream in, Meter meter) {
        super(in);
        this.meter = meter;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        meter.read(b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        meter.read(Math.max(n, 0));
        return n;
    }
}
