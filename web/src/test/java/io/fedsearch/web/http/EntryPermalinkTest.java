package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.federation.query.EntryFetch;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A permalink {@code /entry/<cid>} opened on any node shows the entry, fetched over libp2p from the node that serves
 * it and verified there; a peer that answers with another entry than the one asked for is not believed.
 */
@Timeout(120)
class EntryPermalinkTest {
  @TempDir
  Path dir;

  @Test
  void anyNodeShowsAnEntryItDoesNotHoldAndRefusesAForgedOne() throws Exception {
    try (NodeFixture fa = NodeFixture.start(dir.resolve("a"), "alpha")) {
      RunningNode a = fa.node;
      TestHttp http = fa.http;
      RunningNode b = fa.peer(dir.resolve("b"), "beta",
          "{\"id\":\"lamp\",\"title\":\"Brass lamp\",\"description\":\"an oil lamp\",\"price\":700}\n");
      String cid = b.local().index().search(io.fedsearch.indexer.search.SearchRequest.of("lamp", 1)).hits().get(0)
          .entry().cid().toString();

      TestHttp.Reply api = http.get("/api/entries/" + cid);
      assertThat(api.status()).as(api.body()).isEqualTo(200);
      JsonNode e = api.json();
      assertThat(e.at("/entry/title").asText()).isEqualTo("Brass lamp");
      assertThat(e.get("served_by").asText()).isEqualTo(b.host().peerId().toString());
      assertThat(e.get("public_key").asText()).isEqualTo(b.local().key().publicKey().hex());

      // The permalink, with no search behind it (no ?q= hint), on the node that does not host the entry.
      TestHttp.Reply page = http.get("/entry/" + cid);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      assertThat(page.body()).contains("Brass lamp").contains(b.host().peerId().toString());

      // A peer that answers every request with an entry of its own: a valid signature, but not the CID asked for.
      NodeKey liarKey = NodeKey.generate();
      Entry other = new Entry("liar", "x", "Fake lamp", "", "", List.of(), "", 1, null, null);
      SignedEntry signed = SignedEntry.sign(other, liarKey);
      try (Host liar = Host.builder(liarKey).listen("/ip4/127.0.0.1/tcp/0").build()) {
        liar.start();
        new RequestResponse(liar).handle(EntryFetch.PROTOCOL, 256, (from, req) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("v", 1L);
          m.put("b", signed.entry().encode());
          m.put("s", signed.signature());
          return DagCbor.encode(m);
        });
        a.host().peerStore().addAddresses(liar.peerId(), liar.listenAddresses());
        String unknown = new Entry("beta", "nope", "Nowhere", "", "", List.of(), "", 1, null, null).cid().toString();
        var fetched = a.federation().entries().fetch(io.fedsearch.core.cid.Cid.parse(unknown),
            List.of(liar.peerId()), Duration.ofSeconds(5));
        assertThat(fetched).as("a forged answer is not believed").isEmpty();
        TestHttp.Reply missing = http.get("/api/entries/" + unknown);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("no node of the federation serves an entry with CID " + unknown);
      }
    }
  }

  /**
   * The peer holding the entry answers after one that does not: the entry is found, whichever of the last call's
   * stages ("found", "all done") runs first.
   */
  @Test
  void anEntryIsFoundWhenItsHolderAnswersLast() throws Exception {
    try (NodeFixture fa = NodeFixture.start(dir.resolve("a"), "alpha")) {
      RunningNode a = fa.node;
      NodeKey holderKey = NodeKey.generate();
      SignedEntry lamp = SignedEntry.sign(
          new Entry("holder", "lamp", "Brass lamp", "", "", List.of(), "", 700, null, null), holderKey);
      try (Host holder = Host.builder(holderKey).listen("/ip4/127.0.0.1/tcp/0").build();
          Host decliner = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").build()) {
        new RequestResponse(holder).handle(EntryFetch.PROTOCOL, 256, (from, req) -> {
          Thread.sleep(300); // answers well after the decliner
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("v", 1L);
          m.put("b", lamp.entry().encode());
          m.put("s", lamp.signature());
          return DagCbor.encode(m);
        });
        new RequestResponse(decliner).handle(EntryFetch.PROTOCOL, 256, (from, req) -> DagCbor.encode(Map.of("v", 1L)));
        holder.start();
        decliner.start();
        a.host().peerStore().addAddresses(holder.peerId(), holder.listenAddresses());
        a.host().peerStore().addAddresses(decliner.peerId(), decliner.listenAddresses());
        var fetched = a.federation().entries().fetch(lamp.cid(), List.of(holder.peerId(), decliner.peerId()),
            Duration.ofSeconds(5));
        assertThat(fetched).as("found, though the holder answered last").isPresent();
        assertThat(fetched.get().peer()).isEqualTo(holder.peerId());
      }
    }
  }
}
