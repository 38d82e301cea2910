package dev.deploypipeline.upload.previews;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A branch that may not have a preview (the project's setting, a label another branch holds): 409, saying why. */
public class PreviewRefusedException extends ErrorResponseException {

    public PreviewRefusedException(String reason) {
        super(HttpStatus.CONFLICT, problem(reason), null);
    }

    private static ProblemDetail problem(String reason) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, reason);
        problem.setTitle("Conflict");
        return problem;
    }
}
