package dev.deploypipeline.upload.hooks;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A hook that does not exist, or no longer: 404, the same for a revoked secret as for one never made. */
class HookNotFoundException extends ErrorResponseException {

    HookNotFoundException(String reason) {
        super(HttpStatus.NOT_FOUND, problem(reason), null);
    }

    private static ProblemDetail problem(String reason) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, reason);
        problem.setTitle("Not Found");
        return problem;
    }
}
