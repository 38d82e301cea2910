package dev.deploypipeline.storage;

/** One object to copy within the bucket, stored under {@code key} with {@code contentType}. */
public record ObjectCopy(String sourceKey, String key, String contentType) {}
