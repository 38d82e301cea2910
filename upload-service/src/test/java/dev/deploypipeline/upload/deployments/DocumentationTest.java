package dev.deploypipeline.upload.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.testing.DocumentedSettings;
import dev.deploypipeline.testing.Readme;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** The README says what the running service binds and serves: its settings, their defaults, its endpoints. */
class DocumentationTest extends RunningService {

    /** The static resources Spring Boot maps by itself, which the service does not serve as its own. */
    private static final Set<String> SPRING_BOOT_RESOURCES = Set.of("/**", "/webjars/**");

    @Autowired
    ApplicationContext context;

    @Test
    void everySettingTheServiceBindsIsDocumentedWithItsDefaultAndNoOther() {
        DocumentedSettings.assertDocumented("upload-service", context);
    }

    @Test
    void everyEndpointTheControllersMapIsDocumentedAndNoOther() {
        RequestMappingHandlerMapping mapping =
                context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        Set<String> mapped = mapping.getHandlerMethods().entrySet().stream()
                .filter(handler ->
                        handler.getValue().getBeanType().getPackageName().startsWith("dev.deploypipeline."))
                .flatMap(handler -> handler.getKey().getPatternValues().stream()
                        .flatMap(path -> handler.getKey().getMethodsCondition().getMethods().stream()
                                .map(method -> DocumentedSettings.call(method.name(), path))))
                .collect(Collectors.toCollection(TreeSet::new));
        context.getBeansOfType(SimpleUrlHandlerMapping.class).values().stream()
                .flatMap(resources -> resources.getUrlMap().keySet().stream())
                .filter(pattern -> !SPRING_BOOT_RESOURCES.contains(pattern))
                .map(pattern -> DocumentedSettings.call("GET", pattern.replace("/**", "/…")))
                .forEach(mapped::add);
        Set<String> documented = Readme.documentedCalls("upload-service").stream()
                .filter(call -> !call.contains(" /actuator/"))
                .map(call -> DocumentedSettings.call(
                        call.substring(0, call.indexOf(' ')), call.substring(call.indexOf(' ') + 1)))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(mapped)
                .as("what the controllers map, against the README's API tables")
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(documented);
    }
}
