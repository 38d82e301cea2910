package dev.deploypipeline.upload;

import dev.deploypipeline.deployment.InvalidDeploymentIdException;
import dev.deploypipeline.project.InvalidProjectNameException;
import dev.deploypipeline.upload.access.ForbiddenException;
import dev.deploypipeline.upload.access.UnauthorizedException;
import dev.deploypipeline.upload.deployments.DeploymentFinishedException;
import dev.deploypipeline.upload.deployments.ProjectRepositoryMismatchException;
import dev.deploypipeline.upload.deployments.QueueFullException;
import dev.deploypipeline.upload.deployments.ServiceBusyException;
import dev.deploypipeline.upload.deployments.TooManyFollowersException;
import dev.deploypipeline.upload.limits.RequestTooLargeException;
import dev.deploypipeline.upload.notifications.TargetNotFoundException;
import dev.deploypipeline.upload.problems.DeploymentNotFoundException;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import dev.deploypipeline.upload.problems.ProjectNotFoundException;
import dev.deploypipeline.upload.retention.PurgedDeployments;
import dev.deploypipeline.upload.retention.SweepRunningException;
import dev.deploypipeline.upload.tokens.TokenNotFoundException;
import dev.deploypipeline.upload.tokens.TokensOffException;
import dev.deploypipeline.upload.webhook.DeliveryTimedOutException;
import dev.deploypipeline.upload.webhook.DuplicateDeliveryException;
import dev.deploypipeline.upload.webhook.InvalidSignatureException;
import dev.deploypipeline.upload.webhook.WebhookDisabledException;
import io.lettuce.core.RedisException;
import java.util.stream.Stream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Every error as {@code application/problem+json} (RFC 9457). Spring's own exceptions (unreadable JSON,
 * a missing parameter, a wrong method) come through the base class; the domain's are mapped here.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private final PurgedDeployments purged;

    ApiExceptionHandler(PurgedDeployments purged) {
        this.purged = purged;
    }

    @ExceptionHandler({
        InvalidRequestException.class,
        InvalidDeploymentIdException.class,
        InvalidProjectNameException.class
    })
    ProblemDetail badRequest(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "Bad request", e.getMessage());
    }

    @ExceptionHandler({UnauthorizedException.class, InvalidSignatureException.class})
    ResponseEntity<ProblemDetail> unauthorized(RuntimeException e) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.UNAUTHORIZED);
        if (e instanceof UnauthorizedException) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return answer.body(problem(HttpStatus.UNAUTHORIZED, "Unauthorized", e.getMessage()));
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        return problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage());
    }

    /** A deployment retention purged is gone rather than unknown: 410, saying when. */
    @ExceptionHandler(DeploymentNotFoundException.class)
    ResponseEntity<ProblemDetail> deploymentNotFound(DeploymentNotFoundException e) {
        return purged.purgedAt(e.id())
                .map(at -> {
                    ProblemDetail gone = problem(
                            HttpStatus.GONE, "Gone", "deployment " + e.id() + " was purged at " + at + " by retention");
                    gone.setProperty("purgedAt", at.toString());
                    return ResponseEntity.status(HttpStatus.GONE).body(gone);
                })
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage())));
    }

    @ExceptionHandler({
        ProjectNotFoundException.class,
        WebhookDisabledException.class,
        TokenNotFoundException.class,
        TargetNotFoundException.class
    })
    ProblemDetail notFound(RuntimeException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler({
        DuplicateDeliveryException.class,
        DeploymentFinishedException.class,
        ProjectRepositoryMismatchException.class,
        SweepRunningException.class,
        TokensOffException.class
    })
    ProblemDetail conflict(RuntimeException e) {
        return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
    }

    @ExceptionHandler(RequestTooLargeException.class)
    ProblemDetail tooLarge(RequestTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Request too large", e.getMessage());
    }

    /** The body did not arrive in time: the connection is closed, so what is still to come is not waited for. */
    @ExceptionHandler(DeliveryTimedOutException.class)
    ResponseEntity<ProblemDetail> timedOut(DeliveryTimedOutException e) {
        return ResponseEntity.status(HttpStatus.REQUEST_TIMEOUT)
                .header(HttpHeaders.CONNECTION, "close")
                .body(problem(HttpStatus.REQUEST_TIMEOUT, "Request timeout", e.getMessage()));
    }

    @ExceptionHandler(QueueFullException.class)
    ResponseEntity<ProblemDetail> queueFull(QueueFullException e) {
        return retryLater(HttpStatus.TOO_MANY_REQUESTS, "Queue full", e);
    }

    @ExceptionHandler(TooManyFollowersException.class)
    ResponseEntity<ProblemDetail> tooManyFollowers(TooManyFollowersException e) {
        return retryLater(HttpStatus.TOO_MANY_REQUESTS, "Too many followers", e);
    }

    @ExceptionHandler(ServiceBusyException.class)
    ResponseEntity<ProblemDetail> busy(ServiceBusyException e) {
        return retryLater(HttpStatus.SERVICE_UNAVAILABLE, "Busy", e);
    }

    /** A body cut off at its size limit reaches here wrapped by the JSON reader: it is still a 413. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return Stream.<Throwable>iterate(e, cause -> cause != null, Throwable::getCause)
                .filter(RequestTooLargeException.class::isInstance)
                .findFirst()
                .<ResponseEntity<Object>>map(cause -> ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                        .body(tooLarge((RequestTooLargeException) cause)))
                .orElseGet(() -> super.handleHttpMessageNotReadable(e, headers, status, request));
    }

    private static ResponseEntity<ProblemDetail> retryLater(HttpStatus status, String title, ServiceBusyException e) {
        return ResponseEntity.status(status)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()))
                .body(problem(status, title, e.getMessage()));
    }

    /** Redis is unreachable: nothing was accepted, so the client can safely try again. */
    @ExceptionHandler(RedisException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(RedisException e) {
        return unavailable("the deployment store is unreachable; nothing was accepted, try again shortly");
    }

    /** The bucket is unreachable; what the call would have read or written was not, so it may be tried again. */
    @ExceptionHandler(SdkClientException.class)
    ResponseEntity<ProblemDetail> storageUnavailable(SdkClientException e) {
        return unavailable("the object storage is unreachable; try again shortly");
    }

    private static ResponseEntity<ProblemDetail> unavailable(String detail) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Unavailable", detail));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
