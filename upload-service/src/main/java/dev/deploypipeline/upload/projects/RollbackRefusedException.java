package dev.deploypipeline.upload.projects;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A rollback to a deployment the project's site cannot serve: 409, with the reason. An
 * {@link ErrorResponseException}, so the API's exception handler answers it as problem+json through its
 * base class.
 */
public class RollbackRefusedException extends ErrorResponseException {

    public RollbackRefusedException(String reason) {
        super(HttpStatus.CONFLICT, problem(reason), null);
    }

    private static ProblemDetail problem(String reason) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, reason);
        problem.setTitle("Conflict");
        return problem;
    }
}
