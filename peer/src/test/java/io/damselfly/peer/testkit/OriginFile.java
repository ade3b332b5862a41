package io.damselfly.peer.testkit;

import io.damselfly.common.Digest;
import java.nio.file.Path;

/**
 * A file the test origin serves.
 *
 * @param path its path on the origin, such as {@code /a.bin}
 * @param url its full URL
 * @param file the bytes on disk
 */
public record OriginFile(String path, String url, Path file, Digest sha256, long size) {}
