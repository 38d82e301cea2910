package dev.deploypipeline.deploy.sandbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands each build a uid of {@code BUILD_UIDS} that no other build on this machine holds, however many replicas
 * run here: a uid is held by a lock on its file in {@link #LOCKS}, which the kernel releases when its holder ends,
 * even by {@code kill -9}. Two builds that run at the same time never share a uid, so neither can signal, trace or
 * read the files of the other.
 */
final class BuildIdentities {

    /** Root's own folder, shared by every replica on the machine. */
    static final Path LOCKS = Path.of("/run/deploy-pipeline/build-uids");
    /**
     * The uids this process holds. A lock belongs to the process, and closing any descriptor of a locked file
     * releases it, so a uid held here is never opened again here: the one mutable static, mirroring a fact of
     * the kernel's about this process.
     */
    private static final Set<Integer> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final UidRange range;
    private final Path locks;

    BuildIdentities(UidRange range, Path locks) {
        this.range = range;
        this.locks = locks;
    }

    /** A uid no other build holds now, until the identity is closed. */
    BuildIdentity lease() throws IOException {
        int start = ThreadLocalRandom.current().nextInt(range.size());
        for (int n = 0; n < range.size(); n++) {
            Optional<BuildIdentity> held = tryHold(range.first() + (start + n) % range.size());
            if (held.isPresent()) {
                return held.get();
            }
        }
        throw new IOException("every build uid of BUILD_UIDS (" + range + ") is held by a running build");
    }

    /**
     * Holds {@code uid} if no build holds it now; also how a folder or cgroup left by a replica that died is known
     * to be nobody's.
     */
    Optional<BuildIdentity> tryHold(int uid) throws IOException {
        if (uid < range.first() || uid > range.last() || !HELD_HERE.add(uid)) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(locks);
            Files.setPosixFilePermissions(locks, PosixFilePermissions.fromString("rwx------"));
            FileChannel channel =
                    FileChannel.open(locks.resolve(uid + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() != null) {
                return Optional.of(new BuildIdentity(uid, channel));
            }
            channel.close();
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(uid);
            throw e;
        }
        HELD_HERE.remove(uid);
        return Optional.empty();
    }

    /** One build's uid (and gid, the same number); closing gives it back. */
    record BuildIdentity(int uid, FileChannel lock) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            try {
                lock.close(); // releases the lock
            } finally {
                HELD_HERE.remove(uid);
            }
        }
    }
}
