package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.StoredObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored log ({@code logs/{id}.log}) read one byte range at a time and cut at line breaks, for a follower of a
 * deployment that has ended: a replay holds one range in memory and no connection to S3 between two ranges, so a
 * client that reads slowly costs neither.
 */
final class StoredLogReplay {

    static final int RANGE = 64 * 1024;

    private final ObjectStorage storage;
    private final String key;
    private final long length;
    private long offset;

    StoredLogReplay(ObjectStorage storage, String key, long length) {
        this.storage = storage;
        this.key = key;
        this.length = length;
    }

    /** The next lines, without their line breaks; none once the whole log has been read. */
    List<String> next() throws IOException {
        if (offset >= length) {
            return List.of();
        }
        byte[] bytes;
        try (StoredObject range = storage.open(key, offset, Math.min(length, offset + RANGE) - 1)
                .orElseThrow(() -> new IOException(key + " is gone"))) {
            bytes = range.body().readAllBytes();
        }
        int end = bytes.length;
        if (offset + bytes.length < length) {
            int lastBreak = lastBreak(bytes);
            end = lastBreak >= 0 ? lastBreak + 1 : end; // the unfinished line starts the next range
        }
        offset = end == 0 ? length : offset + end;
        return lines(bytes, end);
    }

    private static int lastBreak(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static List<String> lines(byte[] bytes, int end) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (bytes[i] == '\n') {
                lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < end) {
            lines.add(new String(bytes, start, end - start, StandardCharsets.UTF_8));
        }
        return lines;
    }
}
