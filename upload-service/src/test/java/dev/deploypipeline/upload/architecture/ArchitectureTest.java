package dev.deploypipeline.upload.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.deploypipeline.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** upload-service's layout, held to the rules every module keeps. */
class ArchitectureTest {

    private static final String ROOT = "dev.deploypipeline.upload";

    private final JavaClasses classes = ArchitectureRules.mainClassesOf(ROOT);

    @Test
    void featuresDependOnEachOtherInNoLoop() {
        ArchitectureRules.featuresFormNoLoop(ROOT).check(classes);
    }

    @Test
    void usesNoOtherService() {
        ArchitectureRules.usesNoOtherService(ROOT).check(classes);
    }

    @Test
    void controllersNeverTouchRedis() {
        ArchitectureRules.controllersNeverTouchRedis().check(classes);
    }
}
