package io.fedsearch.federation.p2p;

/**
 * How many inputs the fuzz tests run. The suite's default is quick (about 0.25 million inputs in all);
 * {@code -Dfedsearch.fuzz.scale=N} multiplies every parser's count by N — {@code N = 5} runs more than a million:
 *
 * <pre>mvn -pl federation -am -Dtest='*Fuzz*' -Dsurefire.failIfNoSpecifiedTests=false -Dfedsearch.fuzz.scale=5 verify</pre>
 *
 * Each test prints {@code fuzz NAME: N inputs}; sum those lines for the total.
 */
public final class FuzzBudget {
  private FuzzBudget() {}

  /** The multiplier from {@code fedsearch.fuzz.scale} (at least 1). */
  public static int scale() {
    return Math.max(1, Integer.getInteger("fedsearch.fuzz.scale", 1));
  }

  /** {@code base} inputs, scaled. */
  public static int inputs(int base) {
    return Math.multiplyExact(base, scale());
  }

  /** The line every fuzz test prints once per parser, which the total is summed from. */
  public static void report(String name, long inputs) {
    System.out.println("fuzz " + name + ": " + inputs + " inputs");
  }
}
