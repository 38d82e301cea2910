package dev.deploypipeline.site.serving;

import dev.deploypipeline.storage.ObjectMetadata;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.StoredObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRange;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Answers with one stored file the way HTTP asks: {@code 304} when the client's {@code If-None-Match} holds
 * its ETag, {@code 206} with the part a single {@code Range} asks for (or {@code 416} when the range lies
 * outside the file), headers only for {@code HEAD}, and the body from S3 otherwise: a small one read whole first,
 * a large one streamed.
 */
@Component
class ObjectResponder {

    private static final String DEFAULT_TYPE = "application/octet-stream";
    static final int READ_WHOLE_UP_TO = 256 * 1024;

    private final ObjectStorage storage;
    private final ObjectCatalog catalog;

    ObjectResponder(ObjectStorage storage, ObjectCatalog catalog) {
        this.storage = storage;
        this.catalog = catalog;
    }

    void send(ObjectMetadata object, String cacheControl, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (new ServletWebRequest(request, response).checkNotModified(object.eTag())) {
            return;
        }
        Optional<HttpRange> range = singleRange(request, object);
        if (range.isEmpty()) {
            stream(object, HttpServletResponse.SC_OK, 0, object.length() - 1, request, response);
            return;
        }
        long first = range.get().getRangeStart(object.length());
        long last = range.get().getRangeEnd(object.length());
        if (first >= object.length() || last < first) {
            response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + object.length());
            return;
        }
        response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + object.length());
        stream(object, HttpServletResponse.SC_PARTIAL_CONTENT, first, last, request, response);
    }

    /** Answers with a whole file under another status, such as a site's {@code 404.html}. */
    void sendAs(
            int status,
            ObjectMetadata object,
            String cacheControl,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
        stream(object, status, 0, object.length() - 1, request, response);
    }

    /**
     * The one range asked for, if it applies: an unparsable {@code Range}, one of several ranges (S3 serves
     * one), or an {@code If-Range} that no longer matches is answered with the whole file, as RFC 9110 allows.
     */
    private static Optional<HttpRange> singleRange(HttpServletRequest request, ObjectMetadata object) {
        String header = request.getHeader(HttpHeaders.RANGE);
        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        if (header == null || (ifRange != null && !ifRange.trim().equals(object.eTag()))) {
            return Optional.empty();
        }
        try {
            List<HttpRange> ranges = HttpRange.parseRanges(header);
            return ranges.size() == 1 ? Optional.of(ranges.get(0)) : Optional.empty();
        } catch (IllegalArgumentException unparsable) {
            return Optional.empty();
        }
    }

    private void stream(
            ObjectMetadata object,
            int status,
            long first,
            long last,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        response.setStatus(status);
        response.setContentType(object.contentType() == null ? DEFAULT_TYPE : object.contentType());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLengthLong(last - first + 1);
        if (HttpMethod.HEAD.matches(request.getMethod())) {
            return;
        }
        boolean whole = first == 0 && last == object.length() - 1;
        Optional<StoredObject> opened = whole ? storage.open(object.key()) : storage.open(object.key(), first, last);
        if (opened.isEmpty()) {
            catalog.forget(object.key());
            response.reset();
            ErrorPages.notFound(response);
            return;
        }
        copy(opened.get(), last - first + 1, response.getOutputStream());
    }

    /**
     * A body of up to {@link #READ_WHOLE_UP_TO} is read whole and its S3 connection released before the client
     * gets a byte, so a client that reads slowly holds none; a larger one streams, never held whole.
     */
    private static void copy(StoredObject opened, long length, OutputStream client) throws IOException {
        if (length > READ_WHOLE_UP_TO) {
            try (StoredObject body = opened) {
                body.body().transferTo(client);
            }
            return;
        }
        byte[] whole;
        try (StoredObject body = opened) {
            whole = body.body().readNBytes((int) length);
        }
        client.write(whole);
    }
}
