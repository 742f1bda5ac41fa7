package io.fedsearch.core.cid;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The two text encodings fedsearch needs: RFC 4648 base32 lower-case without padding (multibase prefix {@code b},
 * CIDv1) and base58btc (multibase prefix {@code z}; bare in CIDv0 and libp2p peer ids).
 */
public final class Multibase {
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final char[] BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final int[] BASE32_INDEX = index(BASE32);
  private static final int[] BASE58_INDEX = index(BASE58);
  private static final BigInteger FIFTY_EIGHT = BigInteger.valueOf(58);

  private Multibase() {}

  private static int[] index(char[] alphabet) {
    int[] idx = new int[128];
    Arrays.fill(idx, -1);
    for (int i = 0; i < alphabet.length; i++) {
      idx[alphabet[i]] = i;
    }
    return idx;
  }

  public static String base32(byte[] data) {
    StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(BASE32[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }

  public static byte[] decodeBase32(String text) {
    byte[] out = new byte[text.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int v = c < 128 ? BASE32_INDEX[c] : -1;
      if (v < 0) {
        throw new IllegalArgumentException("invalid base32 character '" + c + "' at " + i);
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException("invalid base32 padding bits");
    }
    return out;
  }

  public static String base58btc(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    StringBuilder sb = new StringBuilder();
    BigInteger n = new BigInteger(1, data);
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(FIFTY_EIGHT);
      sb.append(BASE58[qr[1].intValue()]);
      n = qr[0];
    }
    for (int i = 0; i < zeros; i++) {
      sb.append('1');
    }
    return sb.reverse().toString();
  }

  public static byte[] decodeBase58btc(String text) {
    if (text.length() > 512) {
      throw new IllegalArgumentException("base58 text too long");
    }
    BigInteger n = BigInteger.ZERO;
    int zeros = 0;
    boolean leading = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int v = c < 128 ? BASE58_INDEX[c] : -1;
      if (v < 0) {
        throw new IllegalArgumentException("invalid base58 character '" + c + "' at " + i);
      }
      if (leading && v == 0) {
        zeros++;
      } else {
        leading = false;
      }
      n = n.multiply(FIFTY_EIGHT).add(BigInteger.valueOf(v));
    }
    byte[] body = n.signum() == 0 ? new byte[0] : n.toByteArray();
    int skip = body.length > 0 && body[0] == 0 ? 1 : 0;
    byte[] out = new byte[zeros + body.length - skip];
    System.arraycopy(body, skip, out, zeros, body.length - skip);
    return out;
  }
}
