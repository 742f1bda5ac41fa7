package io.fedsearch.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributionTokenTest {
  private static final NodeKey NODE = NodeKey.generate();
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private static List<Cid> cids(int n) {
    List<Cid> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Cid.ofDagCbor(DagCbor.encode(Map.of("work", (long) i))));
    }
    return out;
  }

  @Test
  void everyTokenOfABatchVerifiesOnItsOwnAfterTheWireRoundTrip() {
    for (int n : new int[] {1, 2, 3, 7, 8, 15, 100}) {
      List<Cid> cids = cids(n);
      List<AttributionToken.Signed> batch = AttributionToken.issueAll(NODE, cids, "Curlew  Song", NOW,
          Duration.ofHours(1));
      assertThat(batch).hasSize(n);
      for (int i = 0; i < n; i++) {
        String wire = batch.get(i).encode();
        assertThat(wire.length()).as("wire size for a batch of %d", n).isLessThanOrEqualTo(AttributionToken.MAX_WIRE_CHARS);
        AttributionToken.Signed back = AttributionToken.Signed.decode(wire);
        assertThat(back.verify()).as("token %d of %d", i, n).isTrue();
        assertThat(back.token().cid()).isEqualTo(cids.get(i));
        assertThat(back.token().queryHash()).isEqualTo(AttributionToken.hashQuery("curlew song"));
        // at most ceil(log2 n) steps (a node without a sibling is carried up without one)
        assertThat(back.proof().size()).isBetween(n == 1 ? 0 : 1, n == 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1));
      }
      // one signature for the page, distinct tokens (nonces) for reuse checks
      assertThat(batch.stream().map(t -> Base64.getEncoder().encodeToString(t.signature())).distinct()).hasSize(1);
      assertThat(batch.stream().map(t -> Base64.getEncoder().encodeToString(t.token().id())).distinct()).hasSize(n);
    }
  }

  @Test
  void aTokenMovedToAnotherPathOrAlteredDoesNotVerify() {
    List<AttributionToken.Signed> batch = AttributionToken.issueAll(NODE, cids(5), "q", NOW, Duration.ofHours(1));
    AttributionToken.Signed a = batch.get(0);
    AttributionToken.Signed b = batch.get(1);
    assertThat(new AttributionToken.Signed(a.token(), a.signature(), b.proof()).verify()).isFalse();
    assertThat(new AttributionToken.Signed(a.token(), a.signature()).verify()).as("batch signature as direct").isFalse();
    AttributionToken t = a.token();
    AttributionToken other = new AttributionToken(cids(6).get(5), t.node(), t.queryHash(), t.issued(), t.expires(),
        t.nonce());
    assertThat(new AttributionToken.Signed(other, a.signature(), a.proof()).verify()).as("another CID").isFalse();
    AttributionToken.Signed foreign = AttributionToken.issueAll(NodeKey.generate(), cids(5), "q", NOW,
        Duration.ofHours(1)).get(0);
    assertThat(new AttributionToken.Signed(t, foreign.signature(), a.proof()).verify()).as("other node").isFalse();
  }

  @Test
  void singleTokensStillVerifyAndMalformedPathsAreNamed() {
    AttributionToken.Signed one = AttributionToken.issue(NODE, cids(1).get(0), "q", NOW, Duration.ofHours(1));
    assertThat(AttributionToken.Signed.decode(one.encode()).verify()).isTrue();

    AttributionToken.Signed batched = AttributionToken.issueAll(NODE, cids(4), "q", NOW, Duration.ofHours(1)).get(2);
    @SuppressWarnings("unchecked")
    Map<String, Object> outer = new LinkedHashMap<>((Map<String, Object>) DagCbor.decode(
        Base64.getUrlDecoder().decode(batched.encode())));
    outer.put("p", List.of(List.of(true)));
    String bad = Base64.getUrlEncoder().withoutPadding().encodeToString(DagCbor.encode(outer));
    assertThatThrownBy(() -> AttributionToken.Signed.decode(bad)).hasMessageContaining("Merkle step");
    outer.put("p", List.of());
    String empty = Base64.getUrlEncoder().withoutPadding().encodeToString(DagCbor.encode(outer));
    assertThatThrownBy(() -> AttributionToken.Signed.decode(empty)).hasMessageContaining("Merkle path");
  }
}
