package dev.deploypipeline.upload.dashboard;

import dev.deploypipeline.upload.access.PublicAssets;
import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard's scripts, styles and icons at {@code /assets/}, from the service's classpath, where the build puts
 * them. Their names carry a hash of their content, so browsers keep them for a year.
 */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(PublicAssets.PATTERN)
                .addResourceLocations("classpath:/dashboard/assets/")
                .setCacheControl(
                        CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }
}
