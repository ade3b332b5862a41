package io.damselfly.supernode.preheat;

import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.supernode.api.AdminGuard;
import io.damselfly.transport.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * Who may start preheats, for each way Harbor authenticates to a provider. Preheat is an admin operation:
 * the admin check ({@code Authorization: Bearer <admin token>}, Harbor's "OAuth" mode, or a loopback caller
 * without a token) always admits; {@code --preheat-auth} adds one more way:
 *
 * <ul>
 *   <li>{@code none}: anyone (Harbor's "None" mode; only on a trusted network);
 *   <li>{@code basic:USER:PASSWORD}: HTTP basic auth (Harbor's "Basic" mode);
 *   <li>{@code header:NAME:VALUE}: one custom header (Harbor's "Custom" mode).
 * </ul>
 *
 * @param mode {@code admin} (only the admin check), {@code none}, {@code basic} or {@code header}
 */
public record PreheatAuth(String mode, String name, String secret) {
  /** The default: the admin check only. */
  public static final PreheatAuth ADMIN = new PreheatAuth("admin", null, null);

  /** Parses a {@code --preheat-auth} value (null or blank: {@link #ADMIN}). */
  public static PreheatAuth parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return ADMIN;
    }
    if (spec.equals("none")) {
      return new PreheatAuth("none", null, null);
    }
    String[] p = spec.split(":", 3);
    if (p.length == 3 && (p[0].equals("basic") || p[0].equals("header")) && !p[1].isBlank() && !p[2].isEmpty()) {
      return new PreheatAuth(p[0], p[1], p[2]);
    }
    throw new IllegalArgumentException("preheat auth must be none, basic:USER:PASSWORD or header:NAME:VALUE, got '"
        + spec.replaceAll(":.*", ":…") + "'");
  }

  /** Throws 401/403 unless the caller may preheat. */
  public void require(Request r, AdminGuard admin) {
    if (mode.equals("none") || (mode.equals("basic") && matches(r.headers().get("Authorization"), basic()))
        || (mode.equals("header") && matches(r.headers().get(name), secret))) {
      return;
    }
    try {
      admin.require(r);
    } catch (ApiException e) {
      if (mode.equals("admin")) {
        throw e;
      }
      throw new ApiException(ErrorCode.UNAUTHORIZED, "preheat needs the configured "
          + (mode.equals("basic") ? "basic credentials" : "header " + name) + " or the admin token");
    }
  }

  private String basic() {
    return "Basic " + Base64.getEncoder().encodeToString((name + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  private static boolean matches(String presented, String expected) {
    if (presented == null) {
      return false;
    }
    String p = presented.startsWith("basic ") ? "Basic " + presented.substring(6) : presented;
    return MessageDigest.isEqual(p.trim().getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "PreheatAuth[" + mode.toLowerCase(Locale.ROOT) + (name == null ? "" : ", " + name) + "]";
  }
}
