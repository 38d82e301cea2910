package dev.deploypipeline.deploy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The deploy service: workers that take deployments off the build queue, build them and publish the sites. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DeployServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(DeployServiceApplication.class, args);
    }
}
