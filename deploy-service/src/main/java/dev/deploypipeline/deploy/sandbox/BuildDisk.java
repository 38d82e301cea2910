package dev.deploypipeline.deploy.sandbox;

import dev.deploypipeline.deploy.SettingFormat;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

/**
 * A build's own file system: an ext4 image of {@code BUILD_MAX_DISK} (sparse, so it takes only what the build
 * writes) mounted on a loop device at the workspace. The kernel stops the build at its size, a full disk
 * touches no other build, and no hard link can lead from it to a file elsewhere on the machine. It is mounted
 * {@code nosuid,nodev}, so nothing in it can gain rights.
 */
final class BuildDisk implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BuildDisk.class);
    /** Below this much space left, a failed command is taken to have filled the disk. */
    private static final long NEARLY_FULL = DataSize.ofMegabytes(2).toBytes();

    private final HostTools tools;
    private final Path image;
    private final Path mountPoint;
    private final DataSize size;

    private BuildDisk(HostTools tools, Path image, Path mountPoint, DataSize size) {
        this.tools = tools;
        this.image = image;
        this.mountPoint = mountPoint;
        this.size = size;
    }

    /** Makes the image and mounts it at {@code mountPoint}, its top folder owned by {@code uid} alone. */
    static BuildDisk mount(HostTools tools, Path image, Path mountPoint, DataSize size, int uid) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(size.toBytes());
        }
        BuildDisk disk = new BuildDisk(tools, image, mountPoint, size);
        try {
            HostTools.runOrThrow(List.of(
                    tools.mkfs().toString(),
                    "-q",
                    "-F",
                    "-m",
                    "0",
                    "-O",
                    "^has_journal",
                    "-E",
                    "lazy_itable_init=1,lazy_journal_init=1,root_owner=" + uid + ":" + uid,
                    "-i",
                    "8192",
                    image.toString()));
            Files.createDirectories(mountPoint);
            HostTools.runOrThrow(List.of(
                    tools.mount().toString(),
                    "-o",
                    "loop,nosuid,nodev,noatime",
                    image.toString(),
                    mountPoint.toString()));
        } catch (IOException e) {
            // A mount that failed part-way may still hold the image: detach it (an error when nothing is mounted).
            try {
                HostTools.run(List.of(tools.umount().toString(), "--lazy", mountPoint.toString()));
            } catch (IOException notRun) {
                e.addSuppressed(notRun);
            }
            Files.deleteIfExists(image);
            throw e;
        }
        return disk;
    }

    /** Whether the build filled its disk, for the reason of a command that failed. */
    Optional<String> limitReached() {
        try {
            if (Files.getFileStore(mountPoint).getUsableSpace() < NEARLY_FULL) {
                return Optional.of("ran out of disk space (limit " + SettingFormat.size(size) + ", BUILD_MAX_DISK)");
            }
        } catch (IOException e) {
            log.warn("Could not read how full the build disk {} is", mountPoint, e);
        }
        return Optional.empty();
    }

    /** Unmounts the disk (lazily if something still holds it) and removes its image. */
    @Override
    public void close() throws IOException {
        HostTools.Result unmounted = HostTools.run(List.of(tools.umount().toString(), mountPoint.toString()));
        if (unmounted.code() != 0) {
            log.warn("Unmounting the build disk {} failed ({}); detaching it", mountPoint, unmounted.output());
            HostTools.runOrThrow(List.of(tools.umount().toString(), "--lazy", mountPoint.toString()));
        }
        Files.deleteIfExists(image);
    }
}
