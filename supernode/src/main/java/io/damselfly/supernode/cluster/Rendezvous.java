package io.damselfly.supernode.cluster;

import io.damselfly.supernode.store.Member;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Rendezvous (highest random weight) hashing: every member scores every task key and the highest score
 * owns it. When a member leaves only its keys move (each to the member with the next score); when one joins
 * it takes about 1/n of the keys, from every member alike. Every supernode computes the same owner from the
 * same member list, with no coordination.
 */
public final class Rendezvous {
  private Rendezvous() {}

  /** The owner of {@code key} among {@code members}; they must not be empty. */
  public static Member owner(String key, Collection<Member> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("members must not be empty");
    }
    Member best = null;
    long bestWeight = 0;
    for (Member m : members) {
      long w = weight(m.id(), key);
      if (best == null || Long.compareUnsigned(w, bestWeight) > 0
          || (w == bestWeight && m.id().compareTo(best.id()) < 0)) {
        best = m;
        bestWeight = w;
      }
    }
    return best;
  }

  /** Members in the order they would own {@code key}: the owner first, then who takes over when it dies. */
  public static List<Member> ranking(String key, Collection<Member> members) {
    Comparator<Member> byWeight = (a, b) -> Long.compareUnsigned(weight(b.id(), key), weight(a.id(), key));
    return members.stream().sorted(byWeight.thenComparing(Member::id)).toList();
  }

  /** A well-mixed 64-bit score of (member, key): FNV-1a over both, finished with a SplitMix64 mix. */
  static long weight(String memberId, String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : (memberId + '\n' + key).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    h ^= h >>> 31;
    return h;
  }
}
