package dev.deploypipeline.deploy.egress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.util.unit.DataSize;

/** Reads a request head up to its blank line, within a size limit, and keeps what came after it in the same reads. */
final class RequestHeadReader {

    /** The head as text (ISO-8859-1, so every byte is kept) and the first bytes of what follows it. */
    record ReceivedHead(String text, ByteBuffer rest) {}

    private RequestHeadReader() {}

    /**
     * @return empty when the client closed before sending a byte
     * @throws MalformedRequestException when the head is larger than {@code limit}, or ends before its blank line
     */
    static Optional<ReceivedHead> read(ReadableByteChannel channel, DataSize limit)
            throws IOException, MalformedRequestException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(limit.toBytes()));
        int scanned = 0;
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (buffer.position() == 0) {
                    return Optional.empty();
                }
                throw new MalformedRequestException("the request head ended before its blank line");
            }
            int end = endOfHead(buffer.array(), scanned, buffer.position());
            if (end >= 0) {
                return Optional.of(new ReceivedHead(
                        new String(buffer.array(), 0, end, StandardCharsets.ISO_8859_1),
                        ByteBuffer.wrap(Arrays.copyOfRange(buffer.array(), end, buffer.position()))));
            }
            scanned = Math.max(0, buffer.position() - 2); // a terminator may be split across reads
        }
        throw new MalformedRequestException("the request head is larger than " + limit.toBytes() + " bytes");
    }

    /** The index just past the first {@code \n\r\n} or {@code \n\n}, or -1. */
    private static int endOfHead(byte[] bytes, int from, int to) {
        for (int i = from; i < to - 1; i++) {
            if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                return i + 2;
            }
            if (bytes[i] == '\n' && bytes[i + 1] == '\r' && i + 2 < to && bytes[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }
}
