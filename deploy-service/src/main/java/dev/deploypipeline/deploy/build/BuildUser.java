package dev.deploypipeline.deploy.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The unprivileged user a build runs as when this service is root: its commands, and the files it may write. */
record BuildUser(String name, int uid, int gid) {

    /** The user's ids as the system knows them ({@code id}), or empty when there is no such user. */
    static Optional<BuildUser> lookUp(String name) {
        if (!name.matches("[a-z_][a-z0-9_-]*[$]?")) {
            return Optional.empty();
        }
        Optional<String> uid = id("-u", name);
        Optional<String> gid = id("-g", name);
        if (uid.isEmpty() || gid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BuildUser(name, Integer.parseInt(uid.get()), Integer.parseInt(gid.get())));
    }

    /**
     * Prefix that runs a command as this user: no supplementary groups, no way back up through setuid programs,
     * and killed when its parent dies (changing the user clears what the parent asked for, so it is asked again).
     */
    List<String> switchTo() {
        return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--no-new-privs",
                "--pdeathsig", "KILL", "--");
    }

    /** Hands a folder and everything in it to this user, without following links out of it. */
    void own(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Iterator<Path> each = paths.iterator(); each.hasNext(); ) {
                Path path = each.next();
                Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    private static Optional<String> id(String option, String name) {
        try {
            Process process = new ProcessBuilder("id", option, name).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0 || !output.matches("\\d+")) {
                return Optional.empty();
            }
            return Optional.of(output);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
