package dev.deploypipeline.deploy.egress;

/** A request the gate cannot read or does not serve: answered 400 with the message. */
final class MalformedRequestException extends Exception {

    MalformedRequestException(String message) {
        super(message);
    }
}
