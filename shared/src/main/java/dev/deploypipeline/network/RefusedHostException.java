package dev.deploypipeline.network;

import java.net.UnknownHostException;

/**
 * A host the service will not connect to. An {@link UnknownHostException}, so HTTP clients treat it as a
 * failed lookup and never open a connection; the message names the host only, never credentials.
 */
public class RefusedHostException extends UnknownHostException {

    public RefusedHostException(String message) {
        super(message);
    }
}
