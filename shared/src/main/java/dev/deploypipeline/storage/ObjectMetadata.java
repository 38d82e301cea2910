package dev.deploypipeline.storage;

/** What an object is, without its body: enough to answer a HEAD, a conditional or a range request. */
public record ObjectMetadata(String key, long length, String contentType, String eTag) {}
