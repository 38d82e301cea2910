package dev.deploypipeline.upload.access;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The token check on every call but the GitHub webhook, which proves itself with its signature. */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration implements WebMvcConfigurer {

    private final ApiTokenInterceptor tokens;

    AccessConfiguration(ApiTokenInterceptor tokens) {
        this.tokens = tokens;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(tokens).excludePathPatterns("/webhooks/github");
    }
}
