package dev.deploypipeline.deploy.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The folders one unpack made or found real, step by step from a trusted base as {@link Folders#real} checks them,
 * so each file costs a look-up in memory rather than one look at the disk per step down to it: an entry of many
 * files in deep folders restores in time that grows with its files, not with files times depth. Nothing of the build
 * runs while it unpacks, so a folder found real stays real. What it remembers is bounded; past the bound it starts
 * over, which costs looks, never safety.
 */
final class MadeFolders {

    /** Path characters remembered at most (a few MB), whatever the names an entry holds. */
    private static final long REMEMBERED_CHARS = 2_000_000;

    private final Set<Path> known = new HashSet<>();
    private long rememberedChars;
    private long looks;

    /** The folder {@code relative} under {@code base}, making the steps that are missing; a link or a file is refused. */
    Path made(Path base, String relative) throws IOException {
        Path folder = base.resolve(relative);
        if (known.contains(folder)) {
            return folder;
        }
        String[] segments = relative.split("/");
        int knownSteps = segments.length;
        Path from = folder;
        while (knownSteps > 0 && !known.contains(from)) {
            from = from.getParent();
            knownSteps--;
        }
        for (int step = knownSteps; step < segments.length; step++) {
            from = from.resolve(segments[step]);
            looks++;
            Optional<BasicFileAttributes> found = Folders.attributes(from);
            if (found.isEmpty()) {
                Files.createDirectory(from);
            } else if (!found.get().isDirectory()) {
                throw new IOException(base.relativize(from) + " is not a folder");
            }
            remember(from);
        }
        return folder;
    }

    /** How many times it looked at the disk. */
    long looks() {
        return looks;
    }

    private void remember(Path folder) {
        rememberedChars += folder.toString().length();
        if (rememberedChars > REMEMBERED_CHARS) {
            known.clear();
            rememberedChars = folder.toString().length();
        }
        known.add(folder);
    }
}
