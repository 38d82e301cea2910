package dev.deploypipeline.site;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RequestHandlerApplication {

    public static void main(String[] args) {
        SpringApplication.run(RequestHandlerApplication.class, args);
    }
}
