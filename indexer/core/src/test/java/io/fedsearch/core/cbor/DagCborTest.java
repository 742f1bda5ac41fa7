package io.fedsearch.core.cbor;

import io.fedsearch.core.cid.Cid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagCborTest {
  private static final HexFormat HEX = HexFormat.of();

  private static String enc(Object o) {
    return HEX.formatHex(DagCbor.encode(o));
  }

  @Test
  void encodesMinimalHeadsAndIntegers() {
    assertThat(enc(0L)).isEqualTo("00");
    assertThat(enc(23L)).isEqualTo("17");
    assertThat(enc(24L)).isEqualTo("1818");
    assertThat(enc(255L)).isEqualTo("18ff");
    assertThat(enc(256L)).isEqualTo("190100");
    assertThat(enc(65536L)).isEqualTo("1a00010000");
    assertThat(enc(1L << 32)).isEqualTo("1b0000000100000000");
    assertThat(enc(-1L)).isEqualTo("20");
    assertThat(enc(-25L)).isEqualTo("3818");
    assertThat(enc(Long.MIN_VALUE)).isEqualTo("3b7fffffffffffffff");
    assertThat(enc(new BigInteger("18446744073709551615"))).isEqualTo("1bffffffffffffffff");
    assertThatThrownBy(() -> DagCbor.encode(new BigInteger("18446744073709551616"))).hasMessageContaining("64 bits");
  }

  @Test
  void sortsMapKeysByLengthThenBytes() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bb", 1L);
    m.put("a", 2L);
    m.put("ab", 3L);
    m.put("c", 4L);
    assertThat(enc(m)).isEqualTo("a4616102616304626162036262620" + "1");
  }

  @Test
  void roundTripsTheDataModel() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "héllo");
    m.put("l", List.of(1L, "x", List.of()));
    m.put("b", new byte[] {0, 1, 2});
    m.put("t", true);
    m.put("n", null);
    m.put("cid", Cid.ofDagCbor(new byte[] {1}));
    byte[] block = DagCbor.encode(m);
    Map<?, ?> back = (Map<?, ?>) DagCbor.decode(block);
    assertThat(back.get("s")).isEqualTo("héllo");
    assertThat(back.get("cid")).isEqualTo(m.get("cid"));
    assertThat((byte[]) back.get("b")).containsExactly(0, 1, 2);
    assertThat(DagCbor.encode(back)).isEqualTo(block);
  }

  @Test
  void decodesIntegersAcrossTheWholeSixtyFourBitRange() {
    for (String v : List.of("0", "23", "24", "255", "256", "65535", "65536", "4294967295", "4294967296",
        "9223372036854775807", "9223372036854775808", "18446744073709551615", "-1", "-24", "-25", "-256", "-257",
        "-9223372036854775808", "-9223372036854775809", "-18446744073709551616")) {
      BigInteger n = new BigInteger(v);
      Object back = DagCbor.decode(DagCbor.encode(n));
      assertThat(back instanceof Long l ? BigInteger.valueOf(l) : back).as(v).isEqualTo(n);
      assertThat(back).as(v + " as a long when it fits").isInstanceOf(n.bitLength() < 64 ? Long.class : BigInteger.class);
    }
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("1b00000000ffffffff"))).hasMessageContaining("minimally");
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("3a0000ffff"))).hasMessageContaining("minimally");
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("d8294101"))).hasMessageContaining("tag");
  }

  @Test
  void decodeRejectsNonCanonicalAndMalformedInput() {
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("1817"))).hasMessageContaining("minimally");
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("a2616201616101"))).hasMessageContaining("canonical order");
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("a2616101616102"))).hasMessageContaining("canonical order");
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("9f01ff"))).hasMessageContaining("indefinite");
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("fb3ff0000000000000"))).hasMessageContaining("floats");
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("0000"))).hasMessageContaining("trailing");
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("5bffffffffffffffff"))).hasMessageContaining("exceeds");
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("62c328"))).hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("6180"))).hasMessageContaining("UTF-8"); // lone continuation
    assertThat(DagCbor.decode(HEX.parseHex("627f41"))).isEqualTo("\u007fA"); // the highest ASCII byte is text
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("c100"))).hasMessageContaining("tag");
    assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex("d82a4101"))).hasMessageContaining("0x00");
    assertThatThrownBy(() -> DagCbor.decode(new byte[0])).hasMessageContaining("truncated");
    byte[] deep = new byte[40];
    java.util.Arrays.fill(deep, (byte) 0x81);
    assertThatThrownBy(() -> DagCbor.decode(deep)).hasMessageContaining("deeper");
  }

  /** Random mutations of a valid block never crash the decoder with anything but IllegalArgumentException. */
  @Test
  void mutatedBlocksFailCleanly() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("title", "t");
    m.put("tags", List.of("a", "b"));
    m.put("price", 123456789L);
    m.put("content", Cid.ofDagCbor(new byte[] {9}));
    byte[] block = DagCbor.encode(m);
    java.util.Random rnd = new java.util.Random(42);
    int decoded = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] b = block.clone();
      int flips = 1 + rnd.nextInt(3);
      for (int f = 0; f < flips; f++) {
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
      }
      try {
        Object o = DagCbor.decode(b);
        assertThat(DagCbor.encode(o)).as("a decoded block re-encodes to itself").isEqualTo(b);
        decoded++;
      } catch (IllegalArgumentException expected) {
        // rejected cleanly
      }
    }
    assertThat(decoded).isLessThan(20_000);
  }
}
