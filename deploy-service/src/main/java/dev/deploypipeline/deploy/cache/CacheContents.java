package dev.deploypipeline.deploy.cache;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one build keeps between builds, and what its entry is keyed by: the package manager's own store (never
 * {@code node_modules}) in the build's HOME, and the framework caches in the app's folder.
 *
 * @param manager the package manager and the version the app asks for ({@code pnpm@9.15.9}), or only its name when
 *     the app names none ({@code npm}, whose version is the machine's)
 * @param lockFileHash the SHA-256 (hex) of the app's lock file, or {@code none}
 * @param disk the top of the build's disk: each step from it down to a cached folder, the build's HOME and the app's
 *     folder included, must be a real folder for the service to read or write there ({@link Folders})
 * @param home the build's HOME
 * @param homeFolders the store's folders, relative to {@code home}
 * @param app the app's folder
 * @param appFolders the framework caches' folders, relative to {@code app}
 */
public record CacheContents(
        String manager,
        String lockFileHash,
        Path disk,
        Path home,
        List<String> homeFolders,
        Path app,
        List<String> appFolders) {

    /** Framework caches that speed up a rebuild: Vite's, Next.js's and Astro's. */
    public static final List<String> FRAMEWORK_FOLDERS = List.of("node_modules/.vite", ".next/cache", ".astro");

    public CacheContents {
        homeFolders = List.copyOf(homeFolders);
        appFolders = List.copyOf(appFolders);
    }

    /**
     * Each folder with its name in an entry: {@code home/…} and {@code app/…}, each reached from the disk's top, so a
     * HOME or app folder the build replaced with a link leads nowhere.
     */
    List<CachedFolder> folders() {
        return Stream.concat(
                        homeFolders.stream()
                                .map(folder -> new CachedFolder("home/" + folder, disk, under(home, folder))),
                        appFolders.stream().map(folder -> new CachedFolder("app/" + folder, disk, under(app, folder))))
                .toList();
    }

    private String under(Path base, String folder) {
        String relative = Folders.relative(disk, base);
        return relative.isEmpty() ? folder : relative + "/" + folder;
    }

    /** One folder kept in an entry: {@code relative} under {@code base}, named {@code name} in the archive. */
    record CachedFolder(String name, Path base, String relative) {}
}
