package dev.deploypipeline.upload.retention;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.upload.access.Caller;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /maintenance/purge[?dryRun=true]}: retention's sweep on demand, or what it would purge. */
@RestController
class MaintenanceController {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceController.class);

    private final RetentionSweep sweep;

    MaintenanceController(RetentionSweep sweep) {
        this.sweep = sweep;
    }

    record PurgeView(List<String> purged, boolean dryRun) {}

    @Requires(Scope.ADMIN)
    @PostMapping("/maintenance/purge")
    PurgeView purge(@RequestParam(defaultValue = "false") boolean dryRun, Caller caller) {
        List<DeploymentId> purged = dryRun ? sweep.dryRun() : sweep.sweep().orElseThrow(SweepRunningException::new);
        if (!dryRun) {
            log.info("{} purged {} deployments", caller, purged.size());
        }
        return new PurgeView(purged.stream().map(DeploymentId::value).toList(), dryRun);
    }
}
