package io.fedsearch.web.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.query.PeerStanding;
import io.fedsearch.web.node.RunningNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;

/** {@code GET /api/node} (who this node is, where it listens, what it holds) and {@code GET /api/peers}. */
final class NodeApi {
  private final RunningNode node;

  NodeApi(RunningNode node) {
    this.node = node;
  }

  void info(ServerRequest req, ServerResponse res) {
    Json.send(res, 200, info());
  }

  /** Who this node is, where it listens, what it holds. */
  ObjectNode info() {
    ObjectNode o = Json.object()
        .put("platform", node.local().directory().platform())
        .put("peer_id", node.host().peerId().toString())
        .put("public_key", node.local().key().publicKey().hex())
        .put("entries", node.local().index().entryCount())
        .put("tombstones", node.local().index().tombstoneCount())
        .put("unpriced_entries", node.local().unpricedCount()); // shown as free on every page
    ArrayNode addrs = o.putArray("listen_addrs");
    for (Multiaddr a : node.host().listenAddresses()) {
      addrs.add(a.toString());
    }
    o.put("index_peers", node.federation().peers().known().size());
    return o;
  }

  void peers(ServerRequest req, ServerResponse res) {
    Json.send(res, 200, peers());
  }

  /** The standing of every index peer. */
  ObjectNode peers() {
    Instant now = Instant.now();
    ObjectNode o = Json.object();
    ArrayNode peers = o.putArray("peers");
    for (var id : node.federation().peers().known()) {
      PeerStanding.Record r = node.federation().search().standing().get(id);
      ObjectNode p = peers.addObject().put("peer", id.toString()).put("platform", r.platform())
          .put("replica_set", r.replicaSet()).put("standing", Math.round(r.score() * 1000) / 1000.0)
          .put("answers", r.answers()).put("failures", r.failures()).put("timeouts", r.timeouts())
          .put("forged", r.forged()).put("busy", r.busy()).put("backed_off", r.backedOff(now))
          .put("connected", node.host().connection(id).isPresent());
      if (!Double.isNaN(r.latencyMs())) {
        p.put("latency_ms", Math.round(r.latencyMs() * 100) / 100.0);
      }
      if (r.backedOffUntil() != null) {
        p.put("backed_off_until", r.backedOffUntil().toString());
      }
      if (r.lastError() != null) {
        p.put("last_error", r.lastError());
      }
    }
    return o;
  }
}
