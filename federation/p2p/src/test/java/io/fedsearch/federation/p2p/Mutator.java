package io.fedsearch.federation.p2p;

import java.util.Arrays;
import java.util.Random;

/** Generates fuzz inputs: random bytes and mutations (bit flips, overwrites, truncation, growth, splices). */
public final class Mutator {
  private final Random random;

  public Mutator(long seed) {
    random = new Random(seed);
  }

  public Random random() {
    return random;
  }

  public byte[] randomBytes(int maxLen) {
    byte[] b = new byte[random.nextInt(maxLen + 1)];
    random.nextBytes(b);
    return b;
  }

  public byte[] mutate(byte[] valid) {
    byte[] b = valid.clone();
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      switch (random.nextInt(7)) {
        case 0 -> {
          if (b.length > 0) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> {
          if (b.length > 0) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
          }
        }
        case 2 -> b = Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
        case 3 -> {
          byte[] tail = randomBytes(16);
          byte[] out = Arrays.copyOf(b, b.length + tail.length);
          System.arraycopy(tail, 0, out, b.length, tail.length);
          b = out;
        }
        case 4 -> {
          if (b.length > 2) { // duplicate a slice: repeated fields, nested lengths that no longer fit
            int from = random.nextInt(b.length - 1);
            int len = 1 + random.nextInt(Math.min(16, b.length - from));
            byte[] out = new byte[b.length + len];
            System.arraycopy(b, 0, out, 0, from + len);
            System.arraycopy(b, from, out, from + len, b.length - from);
            b = out;
          }
        }
        case 5 -> {
          if (b.length > 0) { // varint-ish: continuation bytes
            b[random.nextInt(b.length)] = (byte) 0xFF;
          }
        }
        default -> {
          if (b.length > 1) {
            int i = random.nextInt(b.length);
            int j = random.nextInt(b.length);
            byte t = b[i];
            b[i] = b[j];
            b[j] = t;
          }
        }
      }
    }
    return b;
  }
}
