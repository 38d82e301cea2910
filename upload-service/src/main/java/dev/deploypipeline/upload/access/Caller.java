package dev.deploypipeline.upload.access;

import dev.deploypipeline.project.ProjectName;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Who is calling, as their bearer token says, and the one place that decides what they may do. Controllers get
 * it as a parameter and ask it where a project is involved; {@link AccessInterceptor} asks it for the scope each
 * handler method declares.
 */
public final class Caller {

    private static final Caller ANYONE = new Caller("anyone (no token is configured)", Scope.ADMIN, Set.of(), null);

    private final String name;
    private final Scope scope;
    private final SortedSet<String> projects;
    private final String refusal;

    private Caller(String name, Scope scope, Set<ProjectName> projects, String refusal) {
        this.name = name;
        this.scope = scope;
        this.projects = projects.stream().map(ProjectName::value).collect(Collectors.toCollection(TreeSet::new));
        this.refusal = refusal;
    }

    /** Without any token configured the API is open: everyone may do everything. */
    static Caller anyone() {
        return ANYONE;
    }

    /** A caller without a valid token, and what is wrong with the one they gave. */
    static Caller unauthenticated(String refusal) {
        return new Caller("a caller without a valid token", null, Set.of(), refusal);
    }

    /** The holder of a token; a {@code deploy} token with {@code projects} may deploy those only. */
    static Caller holding(String name, Scope scope, Set<ProjectName> projects) {
        return new Caller(name, scope, projects, null);
    }

    /** The token's name, for logs: never its value. */
    public String name() {
        return name;
    }

    /** What the caller's token allows; empty for a caller without a valid one. */
    public Optional<Scope> scope() {
        return Optional.ofNullable(scope);
    }

    /** The projects a deploy token is limited to; empty when it is not. */
    public SortedSet<String> projects() {
        return Collections.unmodifiableSortedSet(projects);
    }

    public boolean has(Scope needed) {
        return scope != null && scope.includes(needed);
    }

    /** A 401 without a valid token, a 403 with one whose scope is below {@code needed}. */
    public void require(Scope needed) {
        if (scope == null) {
            throw new UnauthorizedException(refusal + "; this call needs a token with scope " + needed + " or above");
        }
        if (!scope.includes(needed)) {
            throw new ForbiddenException(
                    "this token's scope is " + scope + "; this call needs " + needed + " or above");
        }
    }

    /** May deploy, cancel and roll back {@code project}'s deployments. */
    public void requireProject(ProjectName project) {
        require(Scope.DEPLOY);
        if (isLimited() && !projects.contains(project.value())) {
            throw new ForbiddenException("this token may deploy only " + limits() + ", not " + project);
        }
    }

    /** May deploy what belongs to no project, or to any: a token not limited to some projects. */
    public void requireAnyProject() {
        require(Scope.DEPLOY);
        if (isLimited()) {
            throw new ForbiddenException("this token may deploy only " + limits()
                    + "; a deployment of no project needs a deploy token that is not limited to projects");
        }
    }

    /** A 403 with {@code refusal} as its detail unless the caller holds an admin token (or none is configured). */
    public void requireAdmin(String refusal) {
        if (!has(Scope.ADMIN)) {
            throw new ForbiddenException(refusal);
        }
    }

    private boolean isLimited() {
        return scope == Scope.DEPLOY && !projects.isEmpty();
    }

    private String limits() {
        return (projects.size() == 1 ? "project " : "projects ") + String.join(", ", projects);
    }

    @Override
    public String toString() {
        return name;
    }
}
