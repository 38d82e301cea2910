package dev.deploypipeline.upload.previews;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A branch preview as {@code GET /projects/{name}} lists it.
 *
 * @param alias its host label, {@code {branch}--{project}}
 * @param deployment what it serves, once a build of the branch is deployed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PreviewView(String branch, String alias, String url, String deployment) {}
