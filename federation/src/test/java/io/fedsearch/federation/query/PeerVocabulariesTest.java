package io.fedsearch.federation.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.indexer.index.EntryDocuments;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.VocabularyPage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PeerVocabulariesTest {
  private static final Map<String, QueryStats.FieldStats> FIELDS = Map.of(EntryDocuments.DESCRIPTION,
      new QueryStats.FieldStats(2, 4, 3), EntryDocuments.TITLE, new QueryStats.FieldStats(2, 2, 2));
  private final PeerId peer = PeerId.of(NodeKey.generate().publicKey());
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicReference<String> mode = new AtomicReference<>("ok");
  private final AtomicReference<Long> version = new AtomicReference<>(7L);

  /** A peer with two description terms and one title term, read in one page per field. */
  private VocabularyPage read(PeerId p, VocabularyPage.Cursor from) {
    reads.incrementAndGet();
    switch (mode.get()) {
      case "down" -> throw new IllegalStateException("connection refused");
      case "wrong-field" -> {
        return new VocabularyPage(version.get(), 2, FIELDS, EntryDocuments.TITLE, List.of(), null);
      }
      default -> {
        return from.field().equals(EntryDocuments.DESCRIPTION)
            ? new VocabularyPage(version.get(), 2, FIELDS, EntryDocuments.DESCRIPTION,
                List.of(new VocabularyPage.Row("egret", 1, 1), new VocabularyPage.Row("heron", 2, 3)),
                new VocabularyPage.Cursor(EntryDocuments.TITLE, null))
            : new VocabularyPage(version.get(), 2, FIELDS, EntryDocuments.TITLE,
                List.of(new VocabularyPage.Row("heron", 2, 2)), null);
      }
    }
  }

  private static void await(PeerVocabularies v, long fetches, AtomicInteger reads, int readsAtLeast)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((v.fetches() < fetches || reads.get() < readsAtLeast) && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    Thread.sleep(50); // let a fetch that failed record its back-off
  }

  @Test
  void fetchesOnceThenServesUntilThePeersVersionMoves() throws Exception {
    PeerVocabularies v = new PeerVocabularies(this::read);
    v.want(peer, OptionalLong.empty());
    await(v, 1, reads, 2);
    assertThat(v.fetches()).isEqualTo(1);
    assertThat(reads.get()).isEqualTo(2);
    var heron = new QueryStats.TermKey(EntryDocuments.DESCRIPTION, "heron");
    var ibis = new QueryStats.TermKey(EntryDocuments.DESCRIPTION, "ibis");
    assertThat(v.current(peer, OptionalLong.of(7)).orElseThrow().get(heron)).isEqualTo(new QueryStats.TermStats(2, 3));
    assertThat(v.current(peer, OptionalLong.empty()).orElseThrow().get(ibis)).isEqualTo(new QueryStats.TermStats(0, 0));

    // The peer moved on: the vocabulary is not used for version 8, and is not fetched again within the interval.
    version.set(8L);
    assertThat(v.current(peer, OptionalLong.of(8))).isEmpty();
    v.want(peer, OptionalLong.of(8));
    Thread.sleep(100);
    assertThat(reads.get()).isEqualTo(2);

    // Past the interval it is.
    v.minInterval(Duration.ZERO);
    v.want(peer, OptionalLong.of(8));
    await(v, 2, reads, 4);
    assertThat(v.current(peer, OptionalLong.of(8))).isPresent();

    // Off: nothing used, nothing fetched.
    v.enabled(false);
    assertThat(v.current(peer, OptionalLong.of(8))).isEmpty();
  }

  @Test
  void aPeerThatFailsOrMisbehavesIsLeftToPhaseOneAndBackedOff() throws Exception {
    PeerVocabularies v = new PeerVocabularies(this::read);
    v.minInterval(Duration.ZERO);
    mode.set("down");
    v.want(peer, OptionalLong.empty());
    await(v, 0, reads, 1);
    assertThat(v.current(peer, OptionalLong.empty())).isEmpty();
    mode.set("ok");
    v.want(peer, OptionalLong.empty());
    Thread.sleep(100);
    assertThat(reads.get()).as("backed off after the failure").isEqualTo(1);

    PeerVocabularies liar = new PeerVocabularies(this::read);
    mode.set("wrong-field");
    liar.want(peer, OptionalLong.empty());
    await(liar, 0, reads, 2);
    assertThat(liar.current(peer, OptionalLong.empty())).as("a page of another field than asked").isEmpty();
    assertThat(liar.fetches()).isZero();
  }
}
