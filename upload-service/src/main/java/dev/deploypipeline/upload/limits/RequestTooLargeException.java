package dev.deploypipeline.upload.limits;

import org.springframework.util.unit.DataSize;

/** A request body over its limit: a 413. Unchecked, so it passes through a JSON parser that reads the body. */
public class RequestTooLargeException extends RuntimeException {

    public RequestTooLargeException(DataSize limit) {
        super("the request body is larger than " + limit.toBytes() + " bytes");
    }
}
