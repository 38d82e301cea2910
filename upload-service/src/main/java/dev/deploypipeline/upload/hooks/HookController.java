package dev.deploypipeline.upload.hooks;

import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.access.Caller;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import dev.deploypipeline.upload.problems.ProjectNotFoundException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * A project's deploy hooks: {@code POST /projects/{name}/hooks} makes one and shows its secret URL once,
 * {@code GET} lists them without it, {@code DELETE …/hooks/{id}} revokes one at once.
 */
@RestController
@RequestMapping("/projects/{name}/hooks")
class HookController {

    private static final Logger log = LoggerFactory.getLogger(HookController.class);
    static final String SECRET_PREFIX = "dh_";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._:@/-]{0,63}");

    private final HookStore hooks;
    private final ProjectStore projects;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    HookController(HookStore hooks, ProjectStore projects, Clock clock) {
        this.hooks = hooks;
        this.projects = projects;
        this.clock = clock;
    }

    @Requires(Scope.ADMIN)
    @PostMapping
    ResponseEntity<HookView> make(
            @PathVariable String name, @RequestBody(required = false) HookRequest request, Caller caller) {
        ProjectName project = existing(name);
        String hookName = request == null || request.name() == null ? "deploy hook" : request.name();
        if (!NAME.matcher(hookName).matches()) {
            throw new InvalidRequestException(
                    "name is up to 64 letters, digits, spaces and ._:@/- " + "that tell what the hook is for");
        }
        Hook hook = new Hook(HexFormat.of().formatHex(bytes(8)), project, hookName, clock.instant());
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        hooks.save(hook, secret);
        log.info("{} made deploy hook {} of project {}", caller, hook.id(), project);
        String url = ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/hooks/" + secret)
                .toUriString();
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/projects/" + project + "/hooks/" + hook.id()))
                .body(HookView.made(hook, url));
    }

    @Requires(Scope.READ)
    @GetMapping
    List<HookView> list(@PathVariable String name) {
        return hooks.list(existing(name)).stream().map(HookView::listed).toList();
    }

    @Requires(Scope.ADMIN)
    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable String name, @PathVariable String id, Caller caller) {
        ProjectName project = existing(name);
        if (!ID.matcher(id).matches()) {
            throw new InvalidRequestException("a hook's id is 16 hex digits");
        }
        if (!hooks.revoke(project, id)) {
            throw new HookNotFoundException("project " + project + " has no deploy hook " + id);
        }
        log.info("{} revoked deploy hook {} of project {}", caller, id, project);
        return ResponseEntity.noContent().build();
    }

    private ProjectName existing(String name) {
        ProjectName project = new ProjectName(name);
        if (projects.find(project).isEmpty()) {
            throw new ProjectNotFoundException(project);
        }
        return project;
    }

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
