package io.damselfly.testing.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * An OCI image layout made without Docker: random gzip layers (each a tar holding one file of random
 * bytes), a config naming their diff ids, a manifest and {@code index.json}. Push it with
 * {@link Skopeo#push}.
 *
 * @param dir the layout directory ({@code oci:DIR:TAG} for skopeo)
 * @param layers {@code sha256:HEX} of each gzip layer, in order
 * @param layerSizes compressed size of each layer
 */
public record OciImage(Path dir, String tag, String manifest, String config, List<String> layers,
    List<Long> layerSizes) {

  /** Builds an image of layers holding {@code fileSizes} random bytes each, reproducible from {@code seed}. */
  public static OciImage random(Path dir, String tag, long seed, long... fileSizes) throws IOException {
    Path blobs = dir.resolve("blobs").resolve("sha256");
    Files.createDirectories(blobs);
    Random random = new Random(seed);
    List<String> layers = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    for (int i = 0; i < fileSizes.length; i++) {
      Path tmp = blobs.resolve("layer.tmp");
      MessageDigest gz = sha256();
      MessageDigest tar = sha256();
      try (OutputStream file = Files.newOutputStream(tmp);
          OutputStream out = new DigestOutputStream(new Gzip(new DigestOutputStream(file, gz)), tar)) {
        writeTar(out, "layer" + i + ".bin", fileSizes[i], random);
      }
      String hex = HexFormat.of().formatHex(gz.digest());
      Files.move(tmp, blobs.resolve(hex));
      layers.add("sha256:" + hex);
      sizes.add(Files.size(blobs.resolve(hex)));
      diffIds.add("sha256:" + HexFormat.of().formatHex(tar.digest()));
    }
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
        + quoted(diffIds) + "]}}";
    String configDigest = blob(blobs, config.getBytes(StandardCharsets.UTF_8));
    StringBuilder m = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",")
        .append("\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"").append(configDigest)
        .append("\",\"size\":").append(config.getBytes(StandardCharsets.UTF_8).length).append("},\"layers\":[");
    for (int i = 0; i < layers.size(); i++) {
      m.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
          .append(layers.get(i)).append("\",\"size\":").append(sizes.get(i)).append('}');
    }
    byte[] manifest = m.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    String manifestDigest = blob(blobs, manifest);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest + "\",\"size\":"
        + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
    return new OciImage(dir, tag, manifestDigest, configDigest, List.copyOf(layers), List.copyOf(sizes));
  }

  /** Every blob a pull fetches: the config and the layers. */
  public List<String> blobs() {
    List<String> all = new ArrayList<>(layers);
    all.add(0, config);
    return all;
  }

  /** The file of blob {@code digest} in the layout. */
  public Path blobFile(String digest) {
    return dir.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
  }

  private static void writeTar(OutputStream out, String name, long size, Random random) throws IOException {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format("%011o", size));
    put(header, 136, String.format("%011o", 1_700_000_000L));
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    java.util.Arrays.fill(header, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum));
    header[154] = 0;
    header[155] = ' ';
    out.write(header);
    byte[] buf = new byte[64 * 1024];
    for (long left = size; left > 0; ) {
      int n = (int) Math.min(buf.length, left);
      random.nextBytes(buf);
      out.write(buf, 0, n);
      left -= n;
    }
    out.write(new byte[(int) ((512 - size % 512) % 512) + 1024]);
  }

  private static void put(byte[] header, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, at, b.length);
  }

  private static String blob(Path blobs, byte[] content) throws IOException {
    String hex = HexFormat.of().formatHex(sha256().digest(content));
    Files.write(blobs.resolve(hex), content);
    return "sha256:" + hex;
  }

  private static String quoted(List<String> values) {
    return String.join(",", values.stream().map(v -> "\"" + v + "\"").toList());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** gzip at the fastest level: random data does not compress anyway. */
  private static final class Gzip extends GZIPOutputStream {
    Gzip(OutputStream out) throws IOException {
      super(out, 64 * 1024);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

}
