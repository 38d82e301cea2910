package dev.deploypipeline.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.deploypipeline.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** shared's layout: features in no loop, and no Spring, so any service can use it. */
class ArchitectureTest {

    private final JavaClasses classes = ArchitectureRules.mainClassesOf("dev.deploypipeline");

    @Test
    void featuresDependOnEachOtherInNoLoop() {
        ArchitectureRules.featuresFormNoLoop("dev.deploypipeline").check(classes);
    }

    @Test
    void knowsNothingOfSpring() {
        ArchitectureRules.freeOfSpring().check(classes);
    }
}
