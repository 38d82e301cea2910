package dev.deploypipeline.site.routing;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.PreviewAlias;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.site.SiteSettings;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which deployment a host label serves, remembered briefly so a busy site does not ask Redis on every
 * request. A label is a deployment id, a project's name, or a branch preview's {@code {branch}--{project}}, whose
 * alias is kept beside the projects' in the {@code aliases} hash. A project's entry is dropped the moment its alias moves ({@link AliasChangeSubscriber}); the
 * time limit only bounds how late a newly deployed id or a changed project setting is seen.
 */
@Component
public class SiteDirectory {

    /** Enough for every live site of a busy installation; a label is a few dozen bytes. */
    private static final int MAX_LABELS = 10_000;

    private final DeploymentStore deployments;
    private final ProjectStore projects;
    private final LoadingCache<String, Optional<Site>> sites;

    public SiteDirectory(DeploymentStore deployments, ProjectStore projects, SiteSettings settings) {
        this.deployments = deployments;
        this.projects = projects;
        this.sites = Caffeine.newBuilder()
                .expireAfterWrite(settings.lookupTtl())
                .maximumSize(MAX_LABELS)
                .build(this::load);
    }

    /** The site a label from {@link HostRouter} serves, when it names a deployed deployment. */
    public Optional<Site> find(String label) {
        return sites.get(label);
    }

    /** Drops what is known of a project, so its next request reads the alias again. */
    void forget(ProjectName project) {
        sites.invalidate(project.value());
    }

    /** Drops everything, when alias changes may have been missed (Redis was out of reach). */
    void forgetAll() {
        sites.invalidateAll();
    }

    private Optional<Site> load(String label) {
        Optional<DeploymentId> id = DeploymentId.parse(label);
        if (id.isPresent()) {
            return deployments
                    .find(id.get())
                    .filter(deployment -> deployment.status() == DeploymentState.DEPLOYED)
                    .map(deployment -> new Site(
                            deployment.id(),
                            ProjectName.parse(deployment.project())
                                    .map(this::spaFallback)
                                    .orElse(false)));
        }
        return ProjectName.parse(label)
                .flatMap(project -> projects.aliasTarget(project)
                        .filter(target -> deployments
                                .state(target)
                                .filter(DeploymentState.DEPLOYED::equals)
                                .isPresent())
                        .map(target -> new Site(target, spaFallback(project))));
    }

    /** The project's own setting; a preview's label ({@code {branch}--{project}}) takes its project's. */
    private boolean spaFallback(ProjectName label) {
        return projects.find(label)
                .or(() -> PreviewAlias.projectOf(label.value()).flatMap(projects::find))
                .map(Project::spaFallback)
                .orElse(false);
    }
}
