package dev.deploypipeline.storage;

import java.time.Instant;

/** An object's key, size and when it was last stored (by the server's clock), as listed. */
public record StoredObjectInfo(String key, long size, Instant lastModified) {}
