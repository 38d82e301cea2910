package dev.deploypipeline.deploy.egress;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** A gateway's socket file: listened on by its owner's connections only, in a folder made if missing. */
final class SocketFile {

    private SocketFile() {}

    /**
     * Listens on {@code socket}, replacing a socket left there (by a service that died) but nothing else. Its
     * folder, when missing, is made passable by all, so that a build user given the file can reach it.
     */
    static ServerSocketChannel listen(Path socket) throws IOException {
        Path folder = socket.getParent();
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(
                    folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        }
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)
                && Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .isOther()) {
            Files.delete(socket);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        try {
            // Only the owner may connect: the caller hands the file to the build's user.
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(socket);
            throw e;
        }
    }
}
