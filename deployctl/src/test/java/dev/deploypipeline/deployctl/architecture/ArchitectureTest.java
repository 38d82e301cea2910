package dev.deploypipeline.deployctl.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.deploypipeline.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** deployctl speaks only the documented HTTP API: none of the services' classes, and no Spring at run time. */
class ArchitectureTest {

    private static final String ROOT = "dev.deploypipeline.deployctl";

    private final JavaClasses classes = ArchitectureRules.mainClassesOf(ROOT);

    @Test
    void usesNoService() {
        ArchitectureRules.usesNoOtherService(ROOT).check(classes);
    }

    @Test
    void runsWithoutSpring() {
        ArchitectureRules.freeOfSpring().check(classes);
    }
}
