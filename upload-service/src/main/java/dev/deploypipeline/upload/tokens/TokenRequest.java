package dev.deploypipeline.upload.tokens;

import java.util.List;

/** The body of {@code POST /tokens}: a name to know the token by, its scope, and for a deploy token its projects. */
record TokenRequest(String name, String scope, List<String> projects) {}
