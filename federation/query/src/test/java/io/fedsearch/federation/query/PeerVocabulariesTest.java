package io.fedsearch.federation.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryDocuments;
import io.fedsearch.indexer.search.IndexSegments;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.VocabularyPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class PeerVocabulariesTest {
  private static final QueryStats.TermKey HERON = new QueryStats.TermKey(EntryDocuments.DESCRIPTION, "heron");
  private static final QueryStats.TermKey IBIS = new QueryStats.TermKey(EntryDocuments.DESCRIPTION, "ibis");

  /** A fake segment: its description terms (term, docFreq, totalTermFreq) and one title term per document. */
  private record Seg(String id, long maxDoc, List<VocabularyPage.Row> description) {
    Map<String, QueryStats.FieldStats> fields() {
      long ttf = description.stream().mapToLong(VocabularyPage.Row::totalTermFreq).sum();
      long df = description.stream().mapToLong(VocabularyPage.Row::docFreq).sum();
      return Map.of(EntryDocuments.DESCRIPTION, new QueryStats.FieldStats(maxDoc, ttf, df),
          EntryDocuments.TITLE, new QueryStats.FieldStats(maxDoc, maxDoc, maxDoc));
    }
  }

  private static final Seg A = new Seg("a", 2, List.of(new VocabularyPage.Row("egret", 1, 1),
      new VocabularyPage.Row("heron", 2, 3)));
  private static final Seg B = new Seg("b", 1, List.of(new VocabularyPage.Row("heron", 1, 1),
      new VocabularyPage.Row("ibis", 1, 1)));
  private static final Seg MERGED = new Seg("ab", 3, List.of(new VocabularyPage.Row("egret", 1, 1),
      new VocabularyPage.Row("heron", 3, 4), new VocabularyPage.Row("ibis", 1, 1)));

  private final PeerId peer = PeerId.of(NodeKey.generate().publicKey());
  /** Every page read, as "segment/field". */
  private final List<String> reads = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> mode = new AtomicReference<>("ok");
  private final AtomicReference<IndexSegments> index = new AtomicReference<>(list(7, A));

  private static IndexSegments list(long version, Seg... segs) {
    List<IndexSegments.Segment> out = new ArrayList<>();
    for (Seg s : segs) {
      out.add(new IndexSegments.Segment(s.id(), s.maxDoc(), s.fields()));
    }
    return new IndexSegments(version, out);
  }

  private final PeerVocabularies.Source source = new PeerVocabularies.Source() {
    @Override
    public IndexSegments segments(PeerId p) {
      if (mode.get().equals("down")) {
        throw new IllegalStateException("connection refused");
      }
      return index.get();
    }

    @Override
    public VocabularyPage page(PeerId p, String segment, VocabularyPage.Cursor from) {
      reads.add(segment + "/" + from.field());
      if (mode.get().equals("merging") && segment.equals("b")) {
        index.set(list(9, MERGED)); // b is merged away while it is being read
        mode.set("ok");
        throw new VocabularyWire.SegmentGoneException(segment);
      }
      Seg s = List.of(A, B, MERGED).stream().filter(x -> x.id().equals(segment)).findFirst().orElseThrow();
      if (mode.get().equals("wrong-field")) {
        return new VocabularyPage(segment, s.maxDoc(), s.fields(), EntryDocuments.TITLE, List.of(), null);
      }
      return from.field().equals(EntryDocuments.DESCRIPTION)
          ? new VocabularyPage(segment, s.maxDoc(), s.fields(), EntryDocuments.DESCRIPTION, s.description(),
              new VocabularyPage.Cursor(EntryDocuments.TITLE, null))
          : new VocabularyPage(segment, s.maxDoc(), s.fields(), EntryDocuments.TITLE,
              List.of(new VocabularyPage.Row("bird", s.maxDoc(), s.maxDoc())), null);
    }
  };

  private void await(PeerVocabularies v, long fetches, int readsAtLeast) throws InterruptedException {
    Awaitility.await("%d fetches and %d reads".formatted(fetches, readsAtLeast)).atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5)).until(() -> v.fetches() >= fetches && reads.size() >= readsAtLeast);
    Thread.sleep(50); // let a fetch that failed record its back-off
  }

  @Test
  void fetchesOnceThenOnlyTheSegmentsANewVersionAdds() throws Exception {
    PeerVocabularies v = new PeerVocabularies(source);
    v.minInterval(Duration.ofHours(1));
    v.want(peer, OptionalLong.empty());
    await(v, 1, 2);
    assertThat(v.fetches()).isEqualTo(1);
    assertThat(reads).containsExactly("a/description", "a/title");
    assertThat(v.current(peer, OptionalLong.of(7)).orElseThrow().get(HERON)).isEqualTo(new QueryStats.TermStats(2, 3));
    assertThat(v.current(peer, OptionalLong.empty()).orElseThrow().get(IBIS)).isEqualTo(new QueryStats.TermStats(0, 0));

    // The peer wrote: segment b is added. The vocabulary is not used for version 8, nor fetched within the interval.
    index.set(list(8, A, B));
    assertThat(v.current(peer, OptionalLong.of(8))).isEmpty();
    v.want(peer, OptionalLong.of(8));
    Thread.sleep(100);
    assertThat(reads).hasSize(2);

    // Past the interval it is, reading only segment b.
    v.minInterval(Duration.ZERO);
    v.want(peer, OptionalLong.of(8));
    await(v, 2, 4);
    assertThat(reads.subList(2, reads.size())).containsExactly("b/description", "b/title");
    assertThat(v.segmentsFetched()).isEqualTo(2);
    var at8 = v.current(peer, OptionalLong.of(8)).orElseThrow();
    assertThat(at8.get(HERON)).isEqualTo(new QueryStats.TermStats(3, 4));
    assertThat(at8.statistics(List.of(IBIS)).maxDoc()).isEqualTo(3);
    assertThat(at8.statistics(List.of(IBIS)).terms()).containsEntry(IBIS, new QueryStats.TermStats(1, 1));

    // A merge replaces b while it is read again: the fetch lists the segments anew and reads the merged one.
    index.set(list(8, A, B));
    mode.set("merging");
    PeerVocabularies fresh = new PeerVocabularies(source);
    fresh.want(peer, OptionalLong.empty());
    await(fresh, 1, 8);
    assertThat(fresh.current(peer, OptionalLong.of(9)).orElseThrow().get(HERON))
        .isEqualTo(new QueryStats.TermStats(3, 4));

    // Off: nothing used, nothing fetched.
    v.enabled(false);
    assertThat(v.current(peer, OptionalLong.of(8))).isEmpty();
  }

  @Test
  void aPeerThatFailsOrMisbehavesIsLeftToPhaseOneAndBackedOff() throws Exception {
    PeerVocabularies v = new PeerVocabularies(source);
    v.minInterval(Duration.ZERO);
    mode.set("down");
    v.want(peer, OptionalLong.empty());
    Thread.sleep(100);
    assertThat(v.current(peer, OptionalLong.empty())).isEmpty();
    mode.set("ok");
    v.want(peer, OptionalLong.empty());
    Thread.sleep(100);
    assertThat(reads).as("backed off after the failure").isEmpty();

    PeerVocabularies liar = new PeerVocabularies(source);
    mode.set("wrong-field");
    liar.want(peer, OptionalLong.empty());
    await(liar, 0, 1);
    assertThat(liar.current(peer, OptionalLong.empty())).as("a page of another field than asked").isEmpty();
    assertThat(liar.fetches()).isZero();
  }
}
