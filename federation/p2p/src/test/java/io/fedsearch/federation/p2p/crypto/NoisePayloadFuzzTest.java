package io.fedsearch.federation.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.p2p.Mutator;
import io.fedsearch.federation.p2p.wire.WireException;
import io.fedsearch.core.keys.NodeKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The handshake payload parser (reached only after decryption, so fuzzed directly). */
class NoisePayloadFuzzTest {
  @Test
  void payloadParserOnlyFailsWithWireException() {
    NodeKey key = NodeKey.generate();
    byte[] valid = new NoisePayload(PublicKeyProto.encode(key.publicKey()), key.sign(new byte[32]),
        List.of(NoiseIdentity.YAMUX, "/mplex/6.7.0")).encode();
    NoisePayload round = assertDecodes(valid);
    assertThat(round.streamMuxers()).containsExactly(NoiseIdentity.YAMUX, "/mplex/6.7.0");
    Mutator m = new Mutator(21);
    int n = io.fedsearch.federation.p2p.FuzzBudget.inputs(20_000);
    for (int i = 0; i < n; i++) {
      byte[] input = i % 4 == 0 ? m.randomBytes(200) : m.mutate(valid);
      try {
        NoisePayload p = NoisePayload.decode(input);
        assertThat(p.streamMuxers()).hasSizeLessThanOrEqualTo(16);
      } catch (WireException expected) {
        // refused with a reason
      }
    }
    io.fedsearch.federation.p2p.FuzzBudget.report("noise-payload", n);
  }

  private static NoisePayload assertDecodes(byte[] b) {
    try {
      return NoisePayload.decode(b);
    } catch (WireException e) {
      throw new AssertionError(e);
    }
  }
}
