package io.fedsearch.federation.payments;

import java.math.BigInteger;
import java.util.HexFormat;

/** Turns a low-S DER secp256k1 signature into its high-S twin (valid in plain ECDSA, refused by the ledger). */
final class HighS {
  private static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  private HighS() {}

  static String flip(String derHex) {
    byte[] der = HexFormat.of().parseHex(derHex);
    int rLen = der[3];
    byte[] r = java.util.Arrays.copyOfRange(der, 4, 4 + rLen);
    int sLen = der[5 + rLen];
    byte[] s = java.util.Arrays.copyOfRange(der, 6 + rLen, 6 + rLen + sLen);
    byte[] highS = N.subtract(new BigInteger(1, s)).toByteArray();
    int total = 2 + r.length + 2 + highS.length;
    byte[] out = new byte[2 + total];
    out[0] = 0x30;
    out[1] = (byte) total;
    out[2] = 0x02;
    out[3] = (byte) r.length;
    System.arraycopy(r, 0, out, 4, r.length);
    out[4 + r.length] = 0x02;
    out[5 + r.length] = (byte) highS.length;
    System.arraycopy(highS, 0, out, 6 + r.length, highS.length);
    return HexFormat.of().formatHex(out);
  }
}
