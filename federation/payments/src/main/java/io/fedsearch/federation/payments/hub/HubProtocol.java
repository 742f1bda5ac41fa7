package io.fedsearch.federation.payments.hub;

import io.fedsearch.core.cbor.CborMap;
import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@value #PROTOCOL}: the hub API of federation/HUB-API.md over libp2p, for wallets that reach a hub by multiaddr.
 * Requests and answers are canonical DAG-CBOR maps of at most {@link #MAX_BYTES} with {@code v: 1} and the same
 * fields as the JSON API: {@code op: "terms"}; {@code op: "buy"} (request_id, channel, create?, claim_amount? and
 * claim_sig?, cid as a link, platform, price, hub_fee, token, receipt_key as 32 bytes); {@code op: "status"}
 * (request_id, channel). An answer carries {@code status} (with {@code receipt}, {@code statement} — the JSON
 * statement's map — and {@code reason_code}/{@code reason_message}), or {@code code} and {@code error} (plus
 * {@code needed_claim} / {@code hub_fee}) for a refusal, or the terms.
 */
public final class HubProtocol {
  public static final String PROTOCOL = "/fedsearch/hub/1.0.0";
  public static final int MAX_BYTES = 16 * 1024;
  /** A purchase waits for the platform (which may be retried once): longer than a platform call. */
  private static final Duration TIMEOUT = Duration.ofSeconds(45);

  private final Host host;
  private final RequestResponse rr;

  public HubProtocol(Host host) {
    this.host = host;
    this.rr = new RequestResponse(host);
  }

  /** Connects to the hub at {@code address} ({@code /ip4/…/tcp/…/p2p/…}, what a wallet's --via names); its peer id. */
  public PeerId connect(io.fedsearch.federation.p2p.Multiaddr address) throws IOException {
    return host.dial(address).remotePeer();
  }

  /** Serves {@code hub} to wallets. */
  public void serve(HubService hub) {
    rr.handle(PROTOCOL, MAX_BYTES, Duration.ofSeconds(10), (from, request) -> DagCbor.encode(answer(hub, request)));
  }

  private static Map<String, Object> answer(HubService hub, byte[] request) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("v", 1L);
    try {
      CborMap m = CborMap.decode(request, MAX_BYTES, "hub request");
      if (m.integer("v") != 1) {
        throw m.refuse("v", "unsupported version");
      }
      switch (m.text("op", 16)) {
        case "terms" -> {
          HubService.Terms t = hub.terms();
          out.put("account", t.account());
          out.put("public_key", t.publicKey().hex());
          out.put("fee_bps", (long) t.feeBps());
          out.put("fee_drops", t.feeDrops());
          out.put("in_flight_limit", (long) t.inFlightLimit());
          out.put("min_settle_delay_s", t.minSettleDelay());
        }
        case "buy" -> {
          HubRequest q = request(m);
          try {
            put(out, hub.purchase(q));
          } catch (HubRefusal e) {
            refusal(out, e, hub.fee(q.platform(), q.price()));
          }
        }
        case "status" -> {
          Optional<HubAnswer> a = hub.status(m.text("request_id", 64), m.text("channel", 64));
          if (a.isEmpty()) {
            out.put("code", "unknown_request");
            out.put("error", "this hub never journaled that request over that channel: send it again");
          } else {
            put(out, a.get());
          }
        }
        default -> throw m.refuse("op", "terms, buy or status");
      }
    } catch (IllegalArgumentException e) {
      out.clear();
      out.put("v", 1L);
      out.put("code", "bad_request");
      out.put("error", String.valueOf(e.getMessage()));
    }
    return out;
  }

  private static HubRequest request(CborMap m) {
    String channel = m.text("channel", 64);
    Optional<Claim> claim = m.raw("claim_amount") == null ? Optional.empty()
        : Optional.of(new Claim(channel, m.integer("claim_amount"), m.text("claim_sig", 2 * 72)));
    return new HubRequest(m.text("request_id", 64), channel, Optional.ofNullable(m.optionalText("create", MAX_BYTES)),
        claim, m.cid("cid"), PeerId.parse(m.text("platform", 128)), m.integer("price"), m.integer("hub_fee"),
        m.text("token", AttributionToken.MAX_WIRE_CHARS),
        NodePublicKey.of(m.bytesExactly("receipt_key", NodePublicKey.LENGTH)));
  }

  private static void put(Map<String, Object> out, HubAnswer a) {
    out.put("status", a.status());
    a.receipt().ifPresent(r -> out.put("receipt", r));
    a.statement().ifPresent(s -> out.put("statement", s.toMap()));
    a.reasonCode().ifPresent(c -> out.put("reason_code", c));
    a.reasonMessage().ifPresent(msg -> out.put("reason_message", msg));
  }

  private static void refusal(Map<String, Object> out, HubRefusal e, long fee) {
    out.put("code", e.code());
    out.put("error", e.getMessage());
    if (e.neededClaim() > 0) {
      out.put("needed_claim", e.neededClaim());
    }
    if (e.code().equals("fee_changed")) {
      out.put("hub_fee", fee);
    }
  }

  /** The hub's terms, as {@code GET /api/hub} gives them (without peer id and caps). */
  public Map<?, ?> terms(PeerId hub) throws IOException {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("v", 1L);
    req.put("op", "terms");
    return refusedAsIo(hub, req).asMap();
  }

  /**
   * Buys through {@code hub}; returns the decided answer, whose statement and receipt (when delivered) are checked
   * here: signed by the hub's key {@code hubKey}, and a receipt for this purchase naming the receipt key. Throws
   * {@link HubRefusal} (status 0) with the hub's code when it refused.
   */
  public HubAnswer buy(PeerId hub, NodePublicKey hubKey, HubRequest q) throws IOException {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("v", 1L);
    req.put("op", "buy");
    req.put("request_id", q.requestId());
    req.put("channel", q.channel());
    q.channelCreate().ifPresent(c -> req.put("create", c));
    q.claim().ifPresent(c -> {
      req.put("claim_amount", c.drops());
      req.put("claim_sig", c.signature());
    });
    req.put("cid", q.cid());
    req.put("platform", q.platform().toString());
    req.put("price", q.price());
    req.put("hub_fee", q.hubFee());
    req.put("token", q.token());
    req.put("receipt_key", q.receiptKey().bytes());
    HubAnswer a = decode(call(hub, req));
    if (a.statement().isPresent()) {
      HubStatement s = a.statement().get();
      if (!s.verify() || !s.publicKey().equals(hubKey) || !s.requestId().equals(q.requestId())) {
        throw new IOException("hub " + hub + " signed no valid statement for " + q.requestId());
      }
    }
    if (a.receipt().isPresent()) {
      Receipt r = Receipt.decode(a.receipt().get());
      if (!r.verify() || !q.receiptKey().equals(r.holder()) || !r.cid().equals(q.cid()) || r.price() != q.price()
          || !PeerId.of(r.platform()).equals(q.platform())) {
        throw new IOException("hub " + hub + " returned a receipt that is not for this purchase");
      }
    }
    return a;
  }

  /** The answer of a request already sent (pending while in flight); empty when the hub never journaled it. */
  public Optional<HubAnswer> status(PeerId hub, String requestId, String channel) throws IOException {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("v", 1L);
    req.put("op", "status");
    req.put("request_id", requestId);
    req.put("channel", channel);
    try {
      return Optional.of(decode(call(hub, req)));
    } catch (HubRefusal e) {
      if (e.code().equals("unknown_request")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static HubAnswer decode(CborMap m) {
    Optional<HubStatement> statement = m.raw("statement") == null ? Optional.empty()
        : Optional.of(HubStatement.fromMap(m.map("statement").asMap()));
    return new HubAnswer(m.text("status", 32), Optional.ofNullable(m.optionalText("receipt", Receipt.MAX_WIRE_CHARS)),
        statement, Optional.ofNullable(m.optionalText("reason_code", 64)),
        Optional.ofNullable(m.optionalText("reason_message", 1024)));
  }

  private CborMap refusedAsIo(PeerId hub, Map<String, Object> req) throws IOException {
    try {
      return call(hub, req);
    } catch (HubRefusal e) {
      throw new IOException(e.code() + ": " + e.getMessage(), e);
    }
  }

  private CborMap call(PeerId hub, Map<String, Object> req) throws IOException {
    byte[] bytes;
    try {
      bytes = rr.call(hub, PROTOCOL, DagCbor.encode(req), MAX_BYTES, TIMEOUT)
          .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("hub call to " + hub + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("hub call to " + hub + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    CborMap m;
    try {
      m = CborMap.decode(bytes, MAX_BYTES, "hub answer");
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed answer from hub " + hub + ": " + e.getMessage());
    }
    if (m.raw("error") != null) {
      Object needed = m.raw("needed_claim");
      throw new HubRefusal(0, String.valueOf(m.raw("code")), String.valueOf(m.raw("error")),
          needed instanceof Long n ? n : 0);
    }
    return m;
  }
}
