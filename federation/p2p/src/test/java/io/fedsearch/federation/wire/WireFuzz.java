package io.fedsearch.federation.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fedsearch.federation.p2p.FuzzBudget;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Malicious-peer input for tests of wire decoders: valid messages with one part swapped for a value of another
 * type or removed, or their bytes flipped and cut. Seeded, so a failure repeats.
 */
public final class WireFuzz {
  /** Mutations per message: 3,000, times {@code fedsearch.fuzz.scale} ({@link FuzzBudget}). */
  public static final int ROUNDS = FuzzBudget.inputs(3_000);

  private WireFuzz() {}

  /** Values a part is swapped for: every CBOR kind the decoders meet, at awkward sizes. */
  static final List<Object> ODD = List.of(-1L, 0L, Long.MAX_VALUE, "", "x".repeat(300), new byte[0],
      new byte[33], true, List.of(), List.of(1L, "a"), Map.of(), Map.of("v", 1L),
      Cid.ofDagCbor(DagCbor.encode(Map.of("a", 1L))));

  /**
   * Mutates {@code valid} {@link #ROUNDS} times (seeded, so a failure repeats) and feeds each to {@code decoder}.
   * The unmutated message must decode.
   */
  public static void fuzz(byte[] valid, Consumer<byte[]> decoder, Class<? extends RuntimeException> named) {
    decoder.accept(valid);
    Random rnd = new Random(valid.length * 31L + named.getName().hashCode());
    int rejected = 0;
    for (int round = 0; round < ROUNDS; round++) {
      byte[] mutated = round % 4 == 3 ? flipOrCut(valid, rnd) : DagCbor.encode(swap(DagCbor.decode(valid), rnd));
      try {
        decoder.accept(mutated);
      } catch (RuntimeException e) {
        if (!named.isInstance(e)) {
          fail("round " + round + ": " + e + " instead of " + named.getSimpleName() + " for "
              + Base64.getEncoder().encodeToString(mutated), e);
        }
        assertThat(e.getMessage()).as("round %d names what is wrong", round).isNotBlank();
        rejected++;
      }
    }
    assertThat(rejected).as("mutations rejected").isGreaterThan(ROUNDS / 4);
    FuzzBudget.report(named.getSimpleName() + " decoder", ROUNDS);
  }

  private static byte[] flipOrCut(byte[] valid, Random rnd) {
    if (rnd.nextBoolean()) {
      return java.util.Arrays.copyOf(valid, rnd.nextInt(valid.length));
    }
    byte[] b = valid.clone();
    b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
    return b;
  }

  /** The decoded tree with one part (the root included) replaced by an odd value or, in a map, removed. */
  public static Object swap(Object decoded, Random rnd) {
    Object root = mutable(decoded);
    List<Object[]> slots = new ArrayList<>(); // {container, key or index}
    collect(root, slots);
    int pick = rnd.nextInt(slots.size() + 1);
    Object odd = ODD.get(rnd.nextInt(ODD.size()));
    if (pick == slots.size()) {
      return odd;
    }
    Object[] slot = slots.get(pick);
    if (slot[0] instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) m;
      if (rnd.nextInt(4) == 0) {
        map.remove((String) slot[1]);
      } else {
        map.put((String) slot[1], rnd.nextInt(8) == 0 ? null : odd);
      }
    } else {
      @SuppressWarnings("unchecked") List<Object> list = (List<Object>) slot[0];
      list.set((Integer) slot[1], odd);
    }
    return root;
  }

  private static Object mutable(Object node) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put((String) k, mutable(v)));
      return copy;
    }
    if (node instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      l.forEach(v -> copy.add(mutable(v)));
      return copy;
    }
    return node;
  }

  private static void collect(Object node, List<Object[]> slots) {
    if (node instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        slots.add(new Object[] {m, e.getKey()});
        collect(e.getValue(), slots);
      }
    } else if (node instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        slots.add(new Object[] {l, i});
        collect(l.get(i), slots);
      }
    }
  }
}
