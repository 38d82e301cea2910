package dev.deploypipeline.upload.projects;

import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.upload.builds.RequestedBuild;
import dev.deploypipeline.upload.git.RefName;
import dev.deploypipeline.upload.git.RepositoryUrlPolicy;
import dev.deploypipeline.upload.schedules.CronSchedule;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Every setting of a project, as {@code POST /projects} takes them (an update replaces them all) and as
 * {@code PATCH /projects/{name}} merges into them: the one place that knows a project's fields. A new setting is
 * a component here, in {@link #of} and in {@link #toProject}.
 */
record ProjectRequest(
        String name,
        String repoUrl,
        String branch,
        String rootDirectory,
        String installCommand,
        String buildCommand,
        String outputDirectory,
        Map<String, String> env,
        Boolean spaFallback,
        Boolean cache,
        JsonNode previewBranches,
        String schedule,
        String timeZone,
        Integer keep) {

    /** The JSON fields, which are the components' names. */
    static final Set<String> FIELDS = Arrays.stream(ProjectRequest.class.getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toUnmodifiableSet());

    /**
     * The project's settings as a request would give them, variables' values included (never shown), with its
     * schedule and how many deployments it keeps, when it has chosen.
     */
    static ProjectRequest of(Project project, Optional<CronSchedule> schedule, Optional<Integer> keep) {
        return new ProjectRequest(
                project.name().value(),
                project.repoUrl(),
                project.branch(),
                project.build().rootDirectory(),
                project.build().installCommand(),
                project.build().buildCommand(),
                project.build().outputDirectory(),
                project.build().env(),
                project.spaFallback(),
                project.build().cache(),
                PreviewBranchesSetting.node(project.previewBranches()),
                schedule.map(CronSchedule::expression).orElse(null),
                schedule.map(CronSchedule::timeZone).orElse(null),
                keep.orElse(null));
    }

    RequestedBuild build() {
        return new RequestedBuild(rootDirectory, installCommand, buildCommand, outputDirectory, env, cache);
    }

    /**
     * The project these settings make, each checked (a 400 names the first that is wrong); the repository URL
     * passes the same policy as a deployment's and is kept without credentials.
     */
    Project toProject(RepositoryUrlPolicy policy, Instant createdAt) {
        return new Project(
                new ProjectName(name),
                policy.check(repoUrl).withoutCredentials(),
                RefName.branch(branch, "branch"),
                build().validated(),
                Boolean.TRUE.equals(spaFallback),
                createdAt,
                PreviewBranchesSetting.read(previewBranches));
    }
}
