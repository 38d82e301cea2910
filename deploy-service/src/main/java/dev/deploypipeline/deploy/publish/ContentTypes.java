package dev.deploypipeline.deploy.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;

/** The Content-Type a site's file is served with, from its name; text types say they are UTF-8. */
final class ContentTypes {

    // Web formats Tika's table does not name; everything else is Tika's.
    private static final Map<String, MediaType> WEB_EXTENSIONS = Map.of(
            "woff", MediaType.parse("font/woff"),
            "woff2", MediaType.parse("font/woff2"),
            "map", MediaType.application("json"));

    private final MimeTypes types = MimeTypes.getDefaultMimeTypes();

    String of(String fileName) {
        MediaType type = WEB_EXTENSIONS.getOrDefault(extension(fileName), null);
        if (type == null) {
            type = detect(fileName);
        }
        // Tika knows text/javascript, application/json and image/svg+xml are all text underneath.
        boolean text = types.getMediaTypeRegistry().isInstanceOf(type, MediaType.TEXT_PLAIN);
        return text ? type + "; charset=utf-8" : type.toString();
    }

    private MediaType detect(String fileName) {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        try {
            return types.detect(null, metadata); // by name only: no stream is read
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
