package io.fedsearch.core.cid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidTest {
  @Test
  void parsesAndPrintsV0AndV1() {
    String v0 = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";
    assertThat(Cid.parse(v0).toString()).isEqualTo(v0);
    assertThat(Cid.parse(v0).version()).isZero();
    String v1 = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
    Cid c = Cid.parse(v1);
    assertThat(c.toString()).isEqualTo(v1);
    assertThat(c.codec()).isEqualTo(Cid.RAW);
    assertThat(Cid.parse("z" + Multibase.base58btc(c.bytes()))).isEqualTo(c);
    assertThat(Cid.fromBytes(c.bytes())).isEqualTo(c);
  }

  @Test
  void dagCborCidOfEmptyMapIsTheWellKnownOne() {
    assertThat(Cid.ofDagCbor(new byte[] {(byte) 0xa0}).toString())
        .isEqualTo("bafyreigbtj4x7ip5legnfznufuopl4sg4knzc2cof6duas4b3q2fy6swua");
  }

  @Test
  void rejectsBadCidsWithReasons() {
    assertThatThrownBy(() -> Cid.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Cid.parse("xabc")).hasMessageContaining("multibase prefix 'x'");
    assertThatThrownBy(() -> Cid.parse("bafy!!")).hasMessageContaining("invalid base32 character");
    assertThatThrownBy(() -> Cid.parse("bafybeig")).hasMessageContaining("invalid CID");
    assertThatThrownBy(() -> Cid.parse("b" + Multibase.base32(new byte[] {2, 0x71, 0x12, 1, 0})))
        .hasMessageContaining("version 2");
    assertThatThrownBy(() -> Cid.parse("b" + Multibase.base32(new byte[] {1, 0x71, 0x12, 32, 1, 2})))
        .hasMessageContaining("digest length");
    assertThatThrownBy(() -> Cid.parse("b".repeat(300))).hasMessageContaining("longer than");
  }

  @Test
  void varintRoundTripsAndRejectsOverlongInput() {
    for (long v : new long[] {0, 1, 127, 128, 300, 16384, Long.MAX_VALUE}) {
      assertThat(Varint.read(java.nio.ByteBuffer.wrap(Varint.encode(v)))).isEqualTo(v);
      assertThat(Varint.encode(v)).hasSize(Varint.size(v));
    }
    assertThatThrownBy(() -> Varint.read(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0x80, 0})))
        .hasMessageContaining("minimally");
    assertThatThrownBy(() -> Varint.read(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0x80})))
        .hasMessageContaining("truncated");
    byte[] ten = new byte[10];
    java.util.Arrays.fill(ten, (byte) 0xff);
    assertThatThrownBy(() -> Varint.read(java.nio.ByteBuffer.wrap(ten))).hasMessageContaining("9 bytes");
  }

  @Test
  void base58RoundTripsLeadingZeros() {
    byte[] data = {0, 0, 1, 2, (byte) 255};
    assertThat(Multibase.decodeBase58btc(Multibase.base58btc(data))).isEqualTo(data);
    assertThat(Multibase.base58btc(new byte[] {0, 0})).isEqualTo("11");
  }
}
