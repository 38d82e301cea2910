package dev.deploypipeline.deploy.builder;

import dev.deploypipeline.deploy.SettingFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import org.springframework.util.unit.DataSize;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * The JSON manifests a build is decided by (an app's {@code package.json}), read within bounds: the repository is
 * a stranger's, and a manifest of tens of megabytes read whole into a tree would take this service's memory, not
 * the build's. The largest real {@code package.json} holds a few tens of kilobytes.
 */
final class Manifest {

    /** The most a manifest may hold; a larger one fails the build before it is read. */
    static final DataSize MAX_SIZE = DataSize.ofMegabytes(1);

    /** The parser holds to the same bound whatever it is given, and to a nesting no manifest needs. */
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxDocumentLength(MAX_SIZE.toBytes())
                            .maxStringLength((int) MAX_SIZE.toBytes())
                            .maxNameLength(64 * 1024)
                            .maxNestingDepth(64)
                            .build())
                    .build())
            .build();

    private Manifest() {}

    /** The manifest {@code name} in {@code folder}, or a missing node when it is not a regular file there. */
    static JsonNode read(Path folder, String name) {
        Path file = folder.resolve(name);
        BasicFileAttributes found;
        try {
            found = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return MissingNode.getInstance();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!found.isRegularFile()) {
            return MissingNode.getInstance();
        }
        if (found.size() > MAX_SIZE.toBytes()) {
            throw new BuildFailedException(name + " is too large: it holds "
                    + String.format(Locale.ROOT, "%.1f MB", found.size() / (1024.0 * 1024))
                    + ", more than the " + SettingFormat.size(MAX_SIZE) + " a manifest may hold");
        }
        try {
            return JSON.readTree(file);
        } catch (JacksonException e) {
            throw new BuildFailedException(name + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A manifest's bytes, parsed within the same bounds. */
    static JsonNode parse(byte[] manifest) throws JacksonException {
        return JSON.readTree(manifest);
    }
}
