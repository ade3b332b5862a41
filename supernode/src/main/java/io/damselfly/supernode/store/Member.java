package io.damselfly.supernode.store;

/**
 * One supernode of a cluster as the store records it.
 *
 * @param id unique per running supernode (changes on restart)
 * @param api {@code host:port} of its peer API
 * @param pieces {@code host:port} of its piece server
 * @param heartbeatMillis when it last announced itself (epoch millis)
 */
public record Member(String id, String api, String pieces, long heartbeatMillis) {
  public Member {
    requireText("id", id);
    requireText("api", api);
    requireText("pieces", pieces);
  }

  static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  /** The same member announced at {@code millis}. */
  public Member at(long millis) {
    return new Member(id, api, pieces, millis);
  }
}
