package dev.deploypipeline.upload.tokens;

import java.util.List;

/**
 * The body of {@code POST /tokens}: a name to know the token by, its scope, for a deploy token its projects, and how
 * long it works ({@code expiresIn}, {@code 30d}, {@code 12h}; never when absent).
 */
record TokenRequest(String name, String scope, List<String> projects, String expiresIn) {}
