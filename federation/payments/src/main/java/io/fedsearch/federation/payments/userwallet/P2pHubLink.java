package io.fedsearch.federation.payments.userwallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.hub.HubAnswer;
import io.fedsearch.federation.payments.hub.HubProtocol;
import io.fedsearch.federation.payments.hub.HubRefusal;
import io.fedsearch.federation.payments.hub.HubRequest;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.util.Optional;

/**
 * The hub over libp2p ({@code /fedsearch/hub/1.0.0}, {@link HubProtocol}). The wallet's libp2p identity is a fresh
 * key per command, never stored: it is not the user's identity and must not link the user's sessions. Answers and
 * refusals are turned into the HTTP API's JSON, so {@link HubPurchases} applies the same rules to both.
 */
final class P2pHubLink implements HubLink {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Host host;
  private final HubProtocol protocol;
  private final PeerId hub;
  private final Optional<NodePublicKey> hubKey;

  private P2pHubLink(Host host, HubProtocol protocol, PeerId hub, Optional<NodePublicKey> hubKey) {
    this.host = host;
    this.protocol = protocol;
    this.hub = hub;
    this.hubKey = hubKey;
  }

  /** Connects to the hub at {@code multiaddr}; {@code hubPublicKey} (hex, or null before {@code open}) checks its answers. */
  static P2pHubLink connect(String multiaddr, String hubPublicKey) throws IOException {
    Host host = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build();
    try {
      host.start();
      HubProtocol protocol = new HubProtocol(host);
      PeerId peer = protocol.connect(Multiaddr.parse(multiaddr));
      return new P2pHubLink(host, protocol, peer, Optional.ofNullable(hubPublicKey).filter(k -> !k.isEmpty())
          .map(NodePublicKey::fromHex));
    } catch (IOException | RuntimeException e) {
      host.close();
      throw e instanceof IOException io ? io : new IOException("cannot reach hub " + multiaddr + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public HubClient.Reply terms() throws IOException {
    try {
      ObjectNode t = JSON.valueToTree(protocol.terms(hub));
      return new HubClient.Reply(200, t.put("hub", true).put("peer_id", hub.toString()));
    } catch (HubRefusal e) {
      return refusal(e);
    }
  }

  @Override
  public HubClient.Reply purchase(JsonNode b) throws IOException {
    HubRequest q;
    try {
      Optional<Claim> claim = b.has("claim") ? Optional.of(new Claim(b.path("channel").asText(),
          b.path("claim").path("amount").asLong(), b.path("claim").path("signature").asText())) : Optional.empty();
      q = new HubRequest(b.path("request_id").asText(), b.path("channel").asText(),
          Optional.ofNullable(b.path("channel_create").textValue()), claim, Cid.parse(b.path("cid").asText()),
          PeerId.parse(b.path("platform").asText()), b.path("price").asLong(), b.path("hub_fee").asLong(),
          b.path("token").asText(), NodePublicKey.fromHex(b.path("receipt_key").asText()));
    } catch (IllegalArgumentException e) {
      return new HubClient.Reply(400, error("bad_request", e.getMessage()));
    }
    try {
      return answer(protocol.buy(hub, hubKey.orElseThrow(() -> new IOException("no hub key to check answers")), q));
    } catch (HubRefusal e) {
      return refusal(e);
    }
  }

  @Override
  public HubClient.Reply status(String requestId, String channel) throws IOException {
    try {
      return protocol.status(hub, requestId, channel).map(P2pHubLink::answer)
          .orElseGet(() -> new HubClient.Reply(404, error("unknown_request", "the hub never journaled " + requestId)));
    } catch (HubRefusal e) {
      return refusal(e);
    }
  }

  private static HubClient.Reply answer(HubAnswer a) {
    ObjectNode out = JSON.createObjectNode().put("status", a.status());
    a.receipt().ifPresent(r -> out.put("receipt", r));
    a.statement().ifPresent(s -> out.set(a.status().equals(HubAnswer.DELIVERED) ? "hub_ack" : "credit_note",
        JSON.valueToTree(s.toMap())));
    a.reasonCode().ifPresent(c -> out.putObject("reason").put("code", c).put("message", a.reasonMessage().orElse("")));
    return new HubClient.Reply(200, out);
  }

  /** A refusal in the HTTP API's shape; the status class is all the wallet reads (5xx: platform_unreachable). */
  private static HubClient.Reply refusal(HubRefusal e) {
    ObjectNode err = error(e.code(), e.getMessage());
    if (e.neededClaim() > 0) {
      ((ObjectNode) err.get("error")).put("needed_claim", e.neededClaim());
    }
    int status = e.status() >= 400 ? e.status() : e.code().equals("platform_unreachable") ? 502 : 409;
    return new HubClient.Reply(status, err);
  }

  private static ObjectNode error(String code, String message) {
    ObjectNode o = JSON.createObjectNode();
    o.putObject("error").put("code", code).put("message", String.valueOf(message));
    return o;
  }

  @Override
  public void close() {
    host.close();
  }
}
