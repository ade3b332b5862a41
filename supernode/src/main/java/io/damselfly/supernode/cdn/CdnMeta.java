package io.damselfly.supernode.cdn;

import java.util.List;

/** What {@code meta.json} records of a complete CDN file, so a restart can serve it again. */
record CdnMeta(
    String taskId,
    String key,
    String url,
    long contentLength,
    int pieceSize,
    String etag,
    String lastModified,
    String fileDigest,
    List<String> pieceDigests) {}
