package dev.deploypipeline.deploy.builder;

import java.util.Arrays;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** A front-end framework known by its package, and the folder its build writes the static site to. */
enum Framework {
    NEXT("next", "out", "Next.js"),
    CREATE_REACT_APP("react-scripts", "build", "Create React App"),
    VITE("vite", "dist", "Vite");

    private final String dependency;
    private final String outputFolder;
    private final String displayName;

    Framework(String dependency, String outputFolder, String displayName) {
        this.dependency = dependency;
        this.outputFolder = outputFolder;
        this.displayName = displayName;
    }

    /** The first framework, in this order, that package.json depends on (or develops with). */
    static Optional<Framework> detect(JsonNode manifest) {
        return Arrays.stream(values())
                .filter(framework -> manifest.path("dependencies").has(framework.dependency)
                        || manifest.path("devDependencies").has(framework.dependency))
                .findFirst();
    }

    String outputFolder() {
        return outputFolder;
    }

    /** What to tell the owner of an app of this framework whose build left no output folder. */
    String missingOutputHint() {
        return this == NEXT ? "; Next.js writes a static site to out only with output: 'export' in next.config" : "";
    }

    @Override
    public String toString() {
        return displayName;
    }
}
