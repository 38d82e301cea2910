package dev.deploypipeline.upload.hooks;

import dev.deploypipeline.project.ProjectName;
import java.time.Instant;

/**
 * A deploy hook of a project, as stored: never its secret, which only its SHA-256 finds.
 *
 * @param id 16 hex digits, which say nothing of the secret
 * @param name what it is for (a CMS, a cron job elsewhere)
 */
record Hook(String id, ProjectName project, String name, Instant createdAt) {}
