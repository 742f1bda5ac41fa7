package io.fedsearch.federation.query;

import io.fedsearch.core.token.AttributionToken;
import static io.fedsearch.federation.wire.WireFuzz.fuzz;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryDocuments;
import io.fedsearch.indexer.search.IndexSegments;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.SearchRequest;
import io.fedsearch.indexer.search.VocabularyPage;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a malicious peer can send ({@link io.fedsearch.federation.wire.WireFuzz}): a decoder must accept the message
 * or reject it with its own named exception; anything else (a ClassCastException, a NullPointerException) would
 * reach a handler as a crash instead of a reason the sender could act on.
 */
class WireDecodersFuzzTest {
  private static final Map<String, QueryStats.FieldStats> FIELDS = Map.of(
      EntryDocuments.DESCRIPTION, new QueryStats.FieldStats(3, 9, 8), EntryDocuments.TITLE,
      new QueryStats.FieldStats(3, 6, 6));
  private static final QueryStats STATS = new QueryStats(3, FIELDS, Map.of(
      new QueryStats.TermKey(EntryDocuments.TITLE, "heron"), new QueryStats.TermStats(1, 1),
      new QueryStats.TermKey(EntryDocuments.DESCRIPTION, "heron"), new QueryStats.TermStats(2, 3)));

  @Test
  void queryMessagesAreAcceptedOrRejectedByName() {
    SearchRequest search = new SearchRequest("grey heron", SearchRequest.Operator.ALL, 10, Set.of("npm"), "ann",
        "birds", 1L, 100L, true, STATS);
    fuzz(QueryWire.encode(new QueryWire.Request(QueryWire.Op.SEARCH, search)), QueryWire::decodeRequest,
        QueryProtocolException.class);
    QueryWire.Response r = new QueryWire.Response("npm", "set1", 12, 340, List.of(
        new QueryWire.Hit(new byte[36], DagCbor.encode(Map.of("title", "heron")), new byte[64], 1.5f)), STATS, 7);
    fuzz(QueryWire.encode(r), QueryWire::decodeResponse, QueryProtocolException.class);
  }

  @Test
  void vocabularyMessagesAreAcceptedOrRejectedByName() {
    fuzz(VocabularyWire.encode(new VocabularyWire.Request("seg1",
        new VocabularyPage.Cursor(EntryDocuments.TITLE, "heron"))), VocabularyWire::decodeRequest,
        QueryProtocolException.class);
    fuzz(VocabularyWire.encode(new IndexSegments(42, List.of(new IndexSegments.Segment("seg1", 3, FIELDS),
        new IndexSegments.Segment("seg2", 0, Map.of())))), VocabularyWire::decodeSegments,
        QueryProtocolException.class);
    fuzz(VocabularyWire.encode(new VocabularyPage("seg1", 3, FIELDS, EntryDocuments.DESCRIPTION,
        List.of(new VocabularyPage.Row("café", 2, 3)), new VocabularyPage.Cursor(EntryDocuments.DESCRIPTION, "café"))),
        VocabularyWire::decodeResponse, QueryProtocolException.class);
  }

  @Test
  void attributionTokensAreAcceptedOrRejectedByName() {
    NodeKey key = NodeKey.generate();
    List<Cid> cids = List.of(Cid.ofDagCbor(DagCbor.encode(Map.of("t", 1L))), Cid.ofDagCbor(DagCbor.encode(Map.of("t", 2L))));
    String wire = AttributionToken.issueAll(key, cids, "q", Instant.now(), Duration.ofHours(1)).getFirst().encode();
    fuzz(Base64.getUrlDecoder().decode(wire),
        bytes -> AttributionToken.Signed.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)),
        IllegalArgumentException.class);
  }
}
