package io.damselfly.dfdaemon;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One proxy rule: URLs matching {@code regx} go over P2P, or straight to the origin when {@code direct}.
 * Rules are tried in order; the first match decides; URLs no rule matches go straight to the origin.
 */
public record ProxyRule(Pattern regx, boolean direct) {
  public ProxyRule {
    if (regx == null) {
      throw new IllegalArgumentException("proxy rule regx must be given");
    }
  }

  public static ProxyRule of(String regx, boolean direct) {
    if (regx == null || regx.isBlank()) {
      throw new IllegalArgumentException("proxy rule regx must be a regular expression, got nothing");
    }
    try {
      return new ProxyRule(Pattern.compile(regx), direct);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("proxy rule regx '" + regx + "' is not a regular expression: "
          + e.getDescription());
    }
  }

  public boolean matches(String url) {
    return regx.matcher(url).find();
  }
}
