package dev.deploypipeline.upload.notifications;

/**
 * What a target answered to one try: its status (0 when there was none) and the start of its body, or why there
 * was no answer.
 */
record SentResponse(int status, String body, String error) {

    static SentResponse failed(String error) {
        return new SentResponse(0, null, error);
    }

    boolean delivered() {
        return error == null && status >= 200 && status < 300;
    }
}
