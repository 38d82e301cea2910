package dev.deploypipeline.deployment;

import java.util.Arrays;
import java.util.Optional;

/**
 * A site that moved to a deployment, told on the {@code deployment-events} stream in the same step as the move
 * (fields {@code move}, {@code site}, {@code pinned} beside the deployment's {@code id}, {@code state} and
 * {@code project}).
 *
 * @param site the label of the site that moved: the project's name, or a preview's {@code {branch}--{project}}
 * @param pinned whether the project's site stays on this deployment until one is promoted or the pin is lifted
 */
public record SiteMove(Kind kind, String site, boolean pinned) {

    /** {@code promoted}: it moved forward, or a deployment was promoted; {@code rolled_back}: a rollback moved it. */
    public enum Kind {
        PROMOTED("promoted"),
        ROLLED_BACK("rolled_back");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public static Optional<Kind> fromWord(String word) {
            return Arrays.stream(values())
                    .filter(kind -> kind.word.equals(word))
                    .findFirst();
        }
    }
}
