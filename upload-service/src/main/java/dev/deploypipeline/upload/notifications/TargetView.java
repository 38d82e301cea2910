package dev.deploypipeline.upload.notifications;

import java.net.URI;
import java.util.List;

/**
 * A target as the API shows it: never its secret or token, only whether it has one; a Slack URL (which is its own
 * secret) only as its host, and any URL's query masked.
 */
record TargetView(
        String id,
        String type,
        String url,
        List<String> events,
        boolean hasSecret,
        boolean hasToken,
        String createdAt) {

    static TargetView of(NotificationTarget target) {
        return new TargetView(
                target.id(),
                target.type().word(),
                masked(target),
                target.events().stream().sorted().map(NotificationEvent::word).toList(),
                target.secret() != null,
                target.token() != null,
                target.createdAt());
    }

    static String masked(NotificationTarget target) {
        URI url = URI.create(target.url());
        String origin = url.getScheme() + "://" + url.getRawAuthority();
        if (target.type() == TargetType.SLACK) {
            return origin + "/***";
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return origin + path + (url.getRawQuery() == null ? "" : "?***");
    }
}
