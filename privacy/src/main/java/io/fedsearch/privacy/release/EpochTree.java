package io.fedsearch.privacy.release;

import java.util.ArrayList;
import java.util.List;

/**
 * The dyadic tree behind continual release (binary mechanism, Chan, Shi &amp; Song 2011; Dwork et al. 2010). Trees
 * of {@code span = 2^(levels−1)} epochs are aligned on multiples of {@code span}. At each closed epoch E exactly one
 * new node is released: the one of length {@code lowestOneBit(t)} ending at E, where {@code t = E − treeStart + 1}.
 * The running total over {@code [treeStart, E]} is the sum of the nodes for the set bits of t (at most {@code
 * levels} nodes); a release adds the root of the previous tree, so its window always covers between {@code span}
 * and {@code 2·span} epochs (no cliff when a tree ends). Everything here is arithmetic on epoch numbers, which every
 * node can recompute to check a release it receives.
 */
public final class EpochTree {
  /** Most levels accepted (a tree of 2^15 epochs: 90 years of daily epochs). */
  public static final int MAX_LEVELS = 16;

  /** One tree node: {@code length} epochs starting at {@code start}. */
  public record Node(long start, long length) {
    public long end() {
      return start + length - 1;
    }
  }

  private EpochTree() {}

  public static long span(int levels) {
    checkLevels(levels);
    return 1L << (levels - 1);
  }

  public static long treeStart(long epoch, int levels) {
    return epoch - Math.floorMod(epoch, span(levels));
  }

  /** The node released at the close of {@code epoch}. */
  public static Node nodeReleasedAt(long epoch, int levels) {
    long t = epoch - treeStart(epoch, levels) + 1;
    long len = Long.lowestOneBit(t);
    return new Node(epoch - len + 1, len);
  }

  /** First epoch of the window a release of {@code epoch} covers. */
  public static long windowStart(long epoch, int levels) {
    long start = treeStart(epoch, levels);
    return start >= span(levels) ? start - span(levels) : start;
  }

  /** The nodes whose sum is the window total at {@code epoch}, oldest first. */
  public static List<Node> window(long epoch, int levels) {
    List<Node> out = new ArrayList<>();
    long start = treeStart(epoch, levels);
    long span = span(levels);
    if (start >= span) {
      out.add(new Node(start - span, span));
    }
    long t = epoch - start + 1;
    long at = start;
    for (long bit = Long.highestOneBit(t); bit > 0; bit >>>= 1) {
      if ((t & bit) != 0) {
        out.add(new Node(at, bit));
        at += bit;
      }
    }
    return out;
  }

  /** How many nodes the window total at {@code epoch} sums. */
  public static int nodes(long epoch, int levels) {
    return window(epoch, levels).size();
  }

  private static void checkLevels(int levels) {
    if (levels < 1 || levels > MAX_LEVELS) {
      throw new IllegalArgumentException("tree levels must be in 1.." + MAX_LEVELS + " (got " + levels + ")");
    }
  }
}
