package dev.deploypipeline.upload.projects;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.upload.previews.PreviewView;
import dev.deploypipeline.upload.schedules.CronSchedule;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A project as the API shows it: the names of its build variables, never their values.
 *
 * @param cache whether its builds use the dependency cache (a deployment's own {@code cache} wins)
 * @param deployment the deployment its site serves now, once it has one
 * @param url where its site opens
 * @param previewBranches {@code "all"}, {@code "none"} or the patterns of the branches that get a preview
 * @param previews each branch preview, with its address and what it serves
 * @param pinned the deployment a rollback pinned the site to, while later deployments do not move it
 * @param schedule its cron schedule, with {@code timeZone} and {@code nextRun}, when it has one
 * @param keep how many of its newest deployments retention keeps
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ProjectView(
        String name,
        String repoUrl,
        String branch,
        String rootDirectory,
        String installCommand,
        String buildCommand,
        String outputDirectory,
        List<String> env,
        boolean spaFallback,
        boolean cache,
        Instant createdAt,
        String deployment,
        String url,
        Object previewBranches,
        List<PreviewView> previews,
        String pinned,
        String schedule,
        String timeZone,
        Instant nextRun,
        int keep) {

    static ProjectView of(
            Project p,
            String deployment,
            String url,
            List<PreviewView> previews,
            String pinned,
            Optional<CronSchedule> schedule,
            Instant nextRun,
            int keep) {
        // The settings as a request gives them, so a new setting is read in one place; shown here without values.
        ProjectRequest settings = ProjectRequest.of(p, schedule, Optional.of(keep));
        return new ProjectView(
                settings.name(),
                settings.repoUrl(),
                settings.branch(),
                settings.rootDirectory(),
                settings.installCommand(),
                settings.buildCommand(),
                settings.outputDirectory(),
                settings.env().keySet().stream().sorted().toList(),
                settings.spaFallback(),
                p.build().usesCache(),
                p.createdAt(),
                deployment,
                url,
                PreviewBranchesSetting.shown(p.previewBranches()),
                previews,
                pinned,
                settings.schedule(),
                settings.timeZone(),
                schedule.isPresent() ? nextRun : null,
                keep);
    }
}
