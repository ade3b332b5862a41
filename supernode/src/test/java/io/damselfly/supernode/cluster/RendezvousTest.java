package io.damselfly.supernode.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.supernode.store.Member;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendezvousTest {
  private static final int KEYS = 30_000;

  private static List<Member> members(int n) {
    List<Member> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Member("10.0.0." + i + ":8002", "10.0.0." + i + ":8002", "10.0.0." + i + ":8001", 0));
    }
    return out;
  }

  private static String key(int i) {
    return String.format("%032x", i * 2654435761L);
  }

  @Test
  void everyMemberOwnsAboutItsShare() {
    List<Member> three = members(3);
    Map<String, Integer> owned = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      owned.merge(Rendezvous.owner(key(i), three).id(), 1, Integer::sum);
    }
    assertThat(owned).hasSize(3);
    owned.values().forEach(n -> assertThat(n).isBetween(KEYS / 3 - KEYS / 20, KEYS / 3 + KEYS / 20));
  }

  @Test
  void whenAMemberLeavesOnlyItsKeysMoveAndTheyGoToTheNextInTheRanking() {
    List<Member> three = members(3);
    Member dead = three.get(1);
    List<Member> two = List.of(three.get(0), three.get(2));
    int moved = 0;
    for (int i = 0; i < KEYS; i++) {
      String k = key(i);
      Member before = Rendezvous.owner(k, three);
      Member after = Rendezvous.owner(k, two);
      if (!before.equals(dead)) {
        assertThat(after).as("key %s kept its live owner", k).isEqualTo(before);
      } else {
        moved++;
        assertThat(after).isEqualTo(Rendezvous.ranking(k, three).get(1));
      }
    }
    assertThat(moved).isBetween(KEYS / 3 - KEYS / 20, KEYS / 3 + KEYS / 20);
  }

  @Test
  void theOwnerDoesNotDependOnTheOrderMembersAreListedIn() {
    List<Member> three = members(3);
    List<Member> reversed = new ArrayList<>(three);
    java.util.Collections.reverse(reversed);
    for (int i = 0; i < 1000; i++) {
      assertThat(Rendezvous.owner(key(i), reversed)).isEqualTo(Rendezvous.owner(key(i), three));
      assertThat(Rendezvous.ranking(key(i), three).get(0)).isEqualTo(Rendezvous.owner(key(i), three));
    }
  }

  @Test
  void noMembersIsAnError() {
    assertThatThrownBy(() -> Rendezvous.owner("k", List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("members must not be empty");
  }
}
