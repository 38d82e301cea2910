package dev.deploypipeline.site;

import dev.deploypipeline.testing.DocumentedSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** The README says what the running handler binds: its settings and their defaults; it serves sites, not an API. */
class DocumentationTest extends RunningHandler {

    @Autowired
    ApplicationContext context;

    @Test
    void everySettingTheHandlerBindsIsDocumentedWithItsDefaultAndNoOther() {
        DocumentedSettings.assertDocumented("request-handler", context);
    }

    @Test
    void sitesAreServedByHostWithNoControllerOfItsOwn() {
        DocumentedSettings.assertServesNoApi("request-handler", context);
    }
}
