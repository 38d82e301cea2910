package dev.deploypipeline.upload.git;

import dev.deploypipeline.autoconfigure.SourceSizeLimit;
import dev.deploypipeline.network.RefusedHostException;
import dev.deploypipeline.threads.NamedThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.http.NoHttpResponseException;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.internal.storage.dfs.DfsBlockCache;
import org.eclipse.jgit.internal.storage.dfs.DfsBlockCacheConfig;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fetches one commit of a repository with JGit, over one connection: the refs the remote advertises name the
 * branch or tag asked for (plainly, or the default branch), then only that ref is fetched, shallow, into a fresh
 * bare repository, in memory while it is small. Every connection goes through a {@link PinnedConnectionFactory} of the fetch's own, which
 * checks each address connected to and counts the bytes received; at {@code FETCH_TIMEOUT} it is closed,
 * which ends the fetch wherever it is.
 */
@Component
public class RepositoryFetcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RepositoryFetcher.class);
    /**
     * JGit's cache of blocks read from in-memory packs, one for this process: the packs are in memory already, so a
     * few blocks do; its default (32 MB) only held copies of what fetches long done had read.
     */
    private static final long BLOCK_CACHE_SIZE = 4L * 1024 * 1024;

    private static final AtomicLong inMemoryFetches = new AtomicLong();

    private final FetchSettings settings;
    private final SourceSizeLimit sourceLimit;
    private final RepositoryUrlPolicy policy;
    private final ScheduledExecutorService deadlines = NamedThreads.scheduler("fetch-deadlines");

    public RepositoryFetcher(FetchSettings settings, SourceSizeLimit sourceLimit, RepositoryUrlPolicy policy) {
        this.settings = settings;
        this.sourceLimit = sourceLimit;
        this.policy = policy;
        DfsBlockCache.reconfigure(new DfsBlockCacheConfig().setBlockLimit(BLOCK_CACHE_SIZE));
    }

    /**
     * The commit {@code ref} names. It is fetched into memory first; one that receives more than
     * {@code FETCH_IN_MEMORY_MAX} is fetched again into a folder of {@code FETCH_WORK_DIR}, within the same
     * {@code FETCH_TIMEOUT}. A small repository then costs no file at all, and a large one never more memory.
     */
    public FetchedCommit fetch(RepositoryUrl url, String ref) {
        FetchBudget budget = FetchBudget.of(settings);
        long inMemoryMax = settings.inMemoryMax().toBytes();
        if (inMemoryMax > 0) {
            Optional<FetchedCommit> inMemory = fetch(url, ref, budget.inMemory(inMemoryMax), Optional.empty());
            if (inMemory.isPresent()) {
                return inMemory.get();
            }
            log.debug("{} outgrew FETCH_IN_MEMORY_MAX; fetching it again on disk", url);
            budget = budget.onDisk();
        }
        return fetch(url, ref, budget, Optional.of(createDirectory()))
                .orElseThrow(() -> new IllegalStateException("a fetch on disk has no memory bound to outgrow"));
    }

    /** Into {@code directory}, or into memory when there is none; empty when a fetch in memory outgrew it. */
    private Optional<FetchedCommit> fetch(RepositoryUrl url, String ref, FetchBudget budget, Optional<Path> directory) {
        try (PinnedConnectionFactory connections = new PinnedConnectionFactory(policy, budget, settings.ioTimeout())) {
            ScheduledFuture<?> deadline =
                    deadlines.schedule(connections::close, budget.remainingNanos(), TimeUnit.NANOSECONDS);
            try {
                TransportConfigCallback pinned = transport -> {
                    if (!(transport instanceof TransportHttp http)) {
                        throw new IllegalStateException("only http(s) transports are used");
                    }
                    http.setHttpConnectionFactory(connections);
                };
                return Optional.of(fetchInto(repository(directory), directory, url, ref, pinned));
            } finally {
                deadline.cancel(false);
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            directory.ifPresent(RepositoryFetcher::deleteQuietly);
            if (causes(e).anyMatch(OutgrewMemoryException.class::isInstance)) {
                return Optional.empty();
            }
            throw failure(e, url, budget);
        }
    }

    /** A new bare repository in {@code directory}, or in memory: JGit's own, as its tests and servers use. */
    private static Repository repository(Optional<Path> directory) throws IOException {
        if (directory.isEmpty()) {
            // A name of its own, though the cache tells packs apart by their names, which JGit numbers per process.
            return new InMemoryRepository(new DfsRepositoryDescription("fetch-" + inMemoryFetches.incrementAndGet()));
        }
        Repository repository = FileRepositoryBuilder.create(directory.get().toFile());
        try {
            repository.create(true);
            return repository;
        } catch (IOException | RuntimeException e) {
            repository.close();
            throw e;
        }
    }

    /**
     * Fetches only the one ref {@code ref} names, shallow, into {@code repository}, new and bare, over one
     * connection: the refs it advertises name the commit to fetch, so nothing is asked for twice. The connection
     * belongs to that repository: git servers that speak only the "dumb" HTTP protocol cannot be listed without one.
     */
    private FetchedCommit fetchInto(
            Repository repository,
            Optional<Path> directory,
            RepositoryUrl url,
            String ref,
            TransportConfigCallback pinned)
            throws IOException, URISyntaxException {
        try {
            try (Transport transport = Transport.open(repository, new URIish(url.withoutCredentials()))) {
                pinned.configure(transport);
                transport.setCredentialsProvider(credentials(url));
                transport.setTimeout(timeoutSeconds());
                transport.setTagOpt(TagOpt.NO_TAGS);
                transport.setDepth(1);
                try (FetchConnection connection = transport.openFetch()) {
                    Map<String, Ref> remoteRefs = connection.getRefsMap();
                    String source = resolve(remoteRefs, ref);
                    Ref wanted = remoteRefs.get(source);
                    if (wanted == null || wanted.getObjectId() == null) {
                        throw new FetchException("'" + source + "' does not point at a commit");
                    }
                    try {
                        connection.fetch(NullProgressMonitor.INSTANCE, List.of(wanted), Set.of());
                    } catch (TransportException e) {
                        throw refusedTag(e, url, source, wanted);
                    }
                    ObjectId commit = commitOf(repository, source, wanted.getObjectId());
                    return new FetchedCommit(
                            repository,
                            commit,
                            source,
                            defaultBranch(remoteRefs),
                            directory,
                            settings,
                            sourceLimit.maxSize());
                }
            }
        } catch (RuntimeException | IOException | URISyntaxException e) {
            repository.close();
            throw e;
        }
    }

    /**
     * A server refuses a shallow fetch of an annotated tag of a tree or a blob, having no commit to cut the history
     * at, and JGit then reports only that the exchange broke off: a failed fetch of an annotated tag says so beside
     * JGit's words, unless the connection itself failed.
     */
    private static TransportException refusedTag(TransportException e, RepositoryUrl url, String source, Ref wanted) {
        boolean annotatedTag = wanted.getPeeledObjectId() != null
                && !wanted.getPeeledObjectId().equals(wanted.getObjectId());
        if (!annotatedTag || isNetworkFault(e)) {
            return e;
        }
        return new TransportException(
                describe(e, url) + " ('" + source + "' is an annotated tag: a server will not send one shallow when"
                        + " it tags anything but a commit, and only a commit is deployed)",
                e);
    }

    private static boolean isNetworkFault(Throwable e) {
        return causes(e).anyMatch(RepositoryFetcher::isNetworkCause);
    }

    /** The connection to the server failed, rather than the server answering something refused. */
    private static boolean isNetworkCause(Throwable cause) {
        return cause instanceof SocketException || cause instanceof NoHttpResponseException;
    }

    /** The commit {@code id} is or, for an annotated tag, points at; a ref to anything else is refused. */
    private static ObjectId commitOf(Repository repository, String source, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevObject peeled = walk.peel(walk.parseAny(id));
            if (!(peeled instanceof RevCommit commit)) {
                throw new FetchException("'" + source + "' does not point at a commit");
            }
            return commit.copy();
        }
    }

    private static CredentialsProvider credentials(RepositoryUrl url) {
        return url.hasCredentials() ? new HostBoundCredentials(url) : null;
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, settings.ioTimeout().toSeconds());
    }

    /** What went wrong, in words fit for the deployment's error: a limit or a refusal is named as such. */
    private static RuntimeException failure(Exception e, RepositoryUrl url, FetchBudget budget) {
        if (budget.isExpired()) {
            return new FetchException(budget.timeoutMessage(), e);
        }
        Optional<Throwable> named = causes(e)
                .filter(cause -> cause instanceof FetchLimitExceededException || cause instanceof RefusedHostException)
                .findFirst();
        if (named.isPresent()) {
            return new FetchException(named.get().getMessage(), e);
        }
        if (e instanceof FetchException fetch) {
            return fetch;
        }
        Optional<Throwable> network =
                causes(e).filter(RepositoryFetcher::isNetworkCause).findFirst();
        if (network.isPresent()) {
            return FetchException.networkFault(
                    "could not fetch " + url + ": " + network.get().getMessage(), e);
        }
        if (e instanceof TransportException || e instanceof URISyntaxException) {
            return new FetchException("could not fetch " + url + ": " + describe(e, url), e);
        }
        if (e instanceof IOException) {
            return new FetchException("could not store the fetched repository: " + e.getMessage(), e);
        }
        return (RuntimeException) e;
    }

    private static Stream<Throwable> causes(Throwable e) {
        return Stream.iterate(e, cause -> cause != null, cause -> cause.getCause() == cause ? null : cause.getCause());
    }

    /** The branch HEAD is a symbolic ref to, as advertised: the one a clone checks out. */
    private static Optional<String> defaultBranch(Map<String, Ref> remoteRefs) {
        Ref head = remoteRefs.get(Constants.HEAD);
        if (head == null || !head.isSymbolic()) {
            return Optional.empty();
        }
        String target = head.getTarget().getName();
        return target.startsWith(Constants.R_HEADS)
                ? Optional.of(target.substring(Constants.R_HEADS.length()))
                : Optional.empty();
    }

    private static String resolve(Map<String, Ref> remoteRefs, String ref) {
        if (ref == null || ref.isBlank()) {
            Ref head = remoteRefs.get(Constants.HEAD);
            if (head == null) {
                throw new FetchException("the repository is empty or has no default branch");
            }
            return head.isSymbolic() ? head.getTarget().getName() : Constants.HEAD;
        }
        for (String candidate : new String[] {ref, Constants.R_HEADS + ref, Constants.R_TAGS + ref}) {
            if (RefName.isBranchOrTag(candidate) && remoteRefs.containsKey(candidate)) {
                return candidate;
            }
        }
        throw new FetchException("the repository has no branch or tag named '" + ref + "'");
    }

    /** JGit's message, which names the URL it was given: never one with credentials, as we pass none in it. */
    private static String describe(Exception e, RepositoryUrl url) {
        Throwable root = causes(e).reduce((first, second) -> second).orElse(e);
        String message = e.getMessage() == null ? root.toString() : e.getMessage();
        return message.replace(url.withoutCredentials() + ": ", "");
    }

    private Path createDirectory() {
        try {
            Files.createDirectories(settings.workDir());
            return Files.createTempDirectory(settings.workDir(), "fetch-");
        } catch (IOException e) {
            throw new FetchException("could not store the fetched repository: no folder in FETCH_WORK_DIR: " + e, e);
        }
    }

    static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temporary folder is not worth failing a deployment for
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
    }
}
