package dev.deploypipeline.storage;

/** An object's key and size, as listed. */
public record StoredObjectInfo(String key, long size) {}
