package io.fedsearch.privacy.noise;

import java.math.BigDecimal;
import java.math.BigInteger;

/** A non-negative-denominator rational {@code num/den} in lowest terms; the parameter type of the exact samplers. */
public record Ratio(BigInteger num, BigInteger den) {
  public Ratio {
    if (den.signum() <= 0) {
      throw new IllegalArgumentException("denominator must be positive: " + den);
    }
    BigInteger g = num.gcd(den);
    if (g.signum() != 0 && !g.equals(BigInteger.ONE)) {
      num = num.divide(g);
      den = den.divide(g);
    }
  }

  public static Ratio of(long num, long den) {
    return new Ratio(BigInteger.valueOf(num), BigInteger.valueOf(den));
  }

  /** The exact value of a decimal (e.g. a configured ε of "0.5" is 1/2, never a binary approximation). */
  public static Ratio of(BigDecimal value) {
    if (value.scale() <= 0) {
      return new Ratio(value.toBigIntegerExact(), BigInteger.ONE);
    }
    return new Ratio(value.unscaledValue(), BigInteger.TEN.pow(value.scale()));
  }

  public int signum() {
    return num.signum();
  }

  public Ratio multiply(Ratio o) {
    return new Ratio(num.multiply(o.num), den.multiply(o.den));
  }

  public Ratio divide(Ratio o) {
    if (o.signum() == 0) {
      throw new ArithmeticException("division by zero");
    }
    BigInteger n = num.multiply(o.den);
    BigInteger d = den.multiply(o.num);
    return d.signum() < 0 ? new Ratio(n.negate(), d.negate()) : new Ratio(n, d);
  }

  /** Smallest integer ≥ this. */
  public BigInteger ceil() {
    BigInteger[] qr = num.divideAndRemainder(den);
    return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
  }

  /** For reporting only. */
  public double doubleValue() {
    return new BigDecimal(num).divide(new BigDecimal(den), java.math.MathContext.DECIMAL64).doubleValue();
  }

  @Override
  public String toString() {
    return den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den;
  }
}
