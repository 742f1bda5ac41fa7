package io.fedsearch.federation.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.core.keys.NodeKey;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryVerifierTest {
  private final NodeKey key = NodeKey.generate();
  private final SignedEntry good = SignedEntry.sign(
      new Entry("shop", "1", "lamp", "a lamp", "ann", List.of(), "", 100, null, null), key);

  @Test
  void aRememberedEntryWithAnotherSignatureIsCheckedAgain() {
    EntryVerifier v = new EntryVerifier();
    assertThat(v.verify(good)).isTrue();
    assertThat(v.verify(good)).isTrue(); // remembered
    // A forgery whose bytes hash (Arrays.hashCode) like the real signature's must not ride on the memory.
    byte[] forged = good.signature().clone();
    int i = 0;
    while (forged[i] == Byte.MAX_VALUE || forged[i + 1] < Byte.MIN_VALUE + 31) {
      i++;
    }
    forged[i] += 1;
    forged[i + 1] -= 31;
    assertThat(Arrays.hashCode(forged)).isEqualTo(Arrays.hashCode(good.signature()));
    assertThat(v.verify(new SignedEntry(good.entry(), good.cid(), forged, good.signer()))).isFalse();
    assertThat(v.verify(new SignedEntry(good.entry(), good.cid(), good.signature(), NodeKey.generate().publicKey())))
        .isFalse();
    assertThat(v.verify(good)).isTrue();
  }
}
