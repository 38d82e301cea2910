package dev.deploypipeline.upload.notifications;

import java.net.URI;
import java.util.Map;

/** One HTTP POST of a notice: where, its headers and its JSON body. */
record OutgoingMessage(URI url, Map<String, String> headers, String body) {

    OutgoingMessage {
        headers = Map.copyOf(headers);
    }
}
