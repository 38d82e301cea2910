package dev.deploypipeline.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules of how the code is laid out, which every module's architecture test holds its own main classes to:
 * its feature packages form no loop, no service reaches into another, controllers never touch Redis themselves,
 * and {@code shared} knows nothing of Spring.
 */
public final class ArchitectureRules {

    /** The root package of each service: none may depend on another's. */
    private static final String[] SERVICES = {
        "dev.deploypipeline.upload..", "dev.deploypipeline.deploy..", "dev.deploypipeline.site.."
    };

    private ArchitectureRules() {}

    /**
     * The module's own main classes (no tests, no libraries, nothing Spring's AOT processing generated beside them,
     * such as {@code WorkerPool__BeanDefinitions}), which live under {@code rootPackage}.
     */
    public static JavaClasses mainClassesOf(String rootPackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .withImportOption(location -> !location.contains("__"))
                .importPackages(rootPackage);
    }

    /** The packages right below {@code rootPackage} (its features) depend on each other in no loop. */
    public static ArchRule featuresFormNoLoop(String rootPackage) {
        return slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles();
    }

    /** A service's classes use only {@code shared}, never another service's. */
    public static ArchRule usesNoOtherService(String servicePackage) {
        String own = servicePackage + "..";
        String[] others = java.util.Arrays.stream(SERVICES)
                .filter(service -> !service.equals(own))
                .toArray(String[]::new);
        return noClasses()
                .that()
                .resideInAPackage(own)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others);
    }

    /** Controllers answer HTTP; what is in Redis is the stores' and the queue's business. */
    public static ArchRule controllersNeverTouchRedis() {
        return noClasses()
                .that()
                .areAnnotatedWith("org.springframework.web.bind.annotation.RestController")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.lettuce..", "dev.deploypipeline.redis..")
                .allowEmptyShould(true);
    }

    /** {@code shared} is a plain Java library, used by services that may not be Spring's. */
    public static ArchRule freeOfSpring() {
        return noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..");
    }
}
