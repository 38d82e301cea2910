package dev.deploypipeline.site.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.site.SiteSettings;
import dev.deploypipeline.storage.ObjectCopy;
import dev.deploypipeline.storage.ObjectMetadata;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.StoredObject;
import dev.deploypipeline.storage.StoredObjectInfo;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** When the S3 connection of a file's body is given back: before the client is sent a byte, or once it has all. */
class ObjectResponderTest {

    private final OneObjectStorage storage = new OneObjectStorage();
    private final ObjectResponder responder =
            new ObjectResponder(storage, new ObjectCatalog(storage, new SiteSettings(Duration.ZERO, 10)));

    @Test
    void smallFileIsReadWholeAndItsConnectionReleasedBeforeTheClientGetsAByte() throws IOException {
        storage.holding(new byte[ObjectResponder.READ_WHOLE_UP_TO]);

        ClientStream client = send();

        assertThat(client.bodyOpenAtFirstWrite).isFalse();
        assertThat(client.written).isEqualTo(ObjectResponder.READ_WHOLE_UP_TO);
    }

    @Test
    void largeFileStreamsWhileItsConnectionIsOpen() throws IOException {
        storage.holding(new byte[ObjectResponder.READ_WHOLE_UP_TO + 1]);

        ClientStream client = send();

        assertThat(client.bodyOpenAtFirstWrite).isTrue();
        assertThat(client.written).isEqualTo(ObjectResponder.READ_WHOLE_UP_TO + 1);
        assertThat(storage.body.closed).isTrue();
    }

    private ClientStream send() throws IOException {
        ClientStream client = new ClientStream(storage);
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/film.mp4");
        responder.send(
                storage.metadata(),
                CachePolicy.REVALIDATE,
                request,
                new HttpServletResponseWrapper(new MockHttpServletResponse()) {
                    @Override
                    public ServletOutputStream getOutputStream() {
                        return client;
                    }
                });
        return client;
    }

    /** What the client is sent, and whether the S3 body was still open when it was sent its first byte. */
    private static final class ClientStream extends ServletOutputStream {

        private final OneObjectStorage storage;
        private Boolean bodyOpenAtFirstWrite;
        private long written;

        ClientStream(OneObjectStorage storage) {
            this.storage = storage;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (bodyOpenAtFirstWrite == null) {
                bodyOpenAtFirstWrite = !storage.body.closed;
            }
            written += length;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {}
    }

    private static final class Body extends ByteArrayInputStream {

        private boolean closed;

        Body(byte[] content) {
            super(content);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A bucket with one object, {@code film.mp4}, that tells when its body was closed. */
    private static final class OneObjectStorage implements ObjectStorage {

        private static final String KEY = "dist/abcdefghijkmnop2/film.mp4";

        private byte[] content;
        private Body body;

        void holding(byte[] content) {
            this.content = content;
        }

        ObjectMetadata metadata() {
            return new ObjectMetadata(KEY, content.length, "video/mp4", "\"etag\"");
        }

        @Override
        public Optional<StoredObject> open(String key) {
            body = new Body(content);
            return Optional.of(new StoredObject(key, content.length, "video/mp4", "\"etag\"", body));
        }

        @Override
        public Optional<StoredObject> open(String key, long first, long last) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ObjectMetadata> head(String key) {
            return Optional.of(metadata());
        }

        @Override
        public void putAll(Collection<ObjectUpload> uploads) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String put(ObjectUpload upload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void copyAll(Collection<ObjectCopy> copies) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<StoredObjectInfo> list(String prefix) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void downloadAll(String prefix, Path directory, long maxBytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteAll(String prefix) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String key) {
            throw new UnsupportedOperationException();
        }
    }
}
