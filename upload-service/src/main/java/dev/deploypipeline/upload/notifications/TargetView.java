package dev.deploypipeline.upload.notifications;

import java.net.URI;
import java.util.List;

/**
 * A target as the API shows it: never its secret or token, only whether it has one; a webhook's or Slack's URL only
 * as its origin, since Slack, Discord, Teams and Zapier put their secret in the path, and many others in the query.
 * A GitHub target's URL is its repository, shown whole.
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
        if (target.type() == TargetType.GITHUB) {
            return target.url();
        }
        URI url = URI.create(target.url());
        boolean more = (url.getRawPath() != null
                        && !url.getRawPath().isEmpty()
                        && !url.getRawPath().equals("/"))
                || url.getRawQuery() != null;
        return url.getScheme() + "://" + url.getRawAuthority() + (more ? "/***" : "");
    }
}
