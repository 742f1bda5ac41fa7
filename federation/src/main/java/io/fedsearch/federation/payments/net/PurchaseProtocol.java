package io.fedsearch.federation.payments.net;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.purchase.PurchaseService;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.indexer.cid.Cid;
import io.fedsearch.indexer.cid.DagCbor;
import io.fedsearch.indexer.identity.NodePublicKey;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@value #PROTOCOL}: a buyer's wallet asks a platform node for its XRPL address ({@code op: "address"}) and
 * presents purchases ({@code op: "buy"}: the cumulative channel claim, the work's CID and price, the serving
 * node's attribution token and — for a channel the platform has not seen — the signed PaymentChannelCreate). The
 * answer is the platform's signed receipt, or a rejection whose code and message tell the buyer what to fix.
 * Messages are canonical DAG-CBOR maps of at most {@link #MAX_BYTES}; every field is checked by
 * {@link PurchaseService}.
 */
public final class PurchaseProtocol {
  public static final String PROTOCOL = "/fedsearch/purchase/1.0.0";
  public static final int MAX_BYTES = 16 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A refused purchase, as the platform explained it. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final String code;

    Refused(String code, String message) {
      super(message.startsWith(code) ? message : code + ": " + message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final RequestResponse rr;

  private final PeerId self;
  /** This node's own platform side, once it serves: a purchase of its own listing is answered without a dial. */
  private volatile Served served;

  private record Served(PurchaseService purchases, String address) {}

  public PurchaseProtocol(Host host) {
    this.rr = new RequestResponse(host);
    this.self = host.peerId();
  }

  /** Serves purchases for this platform. */
  public void serve(PurchaseService purchases, String xrplAddress) {
    served = new Served(purchases, xrplAddress);
    rr.handle(PROTOCOL, MAX_BYTES, TIMEOUT, (from, request) -> DagCbor.encode(answer(purchases, xrplAddress, request)));
  }

  private static Map<String, Object> answer(PurchaseService purchases, String address, byte[] request) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("v", 1L);
    try {
      Map<?, ?> m = (Map<?, ?>) DagCbor.decode(request);
      if (!Long.valueOf(1).equals(m.get("v"))) {
        throw new IllegalArgumentException("v: unsupported version");
      }
      switch (String.valueOf(m.get("op"))) {
        case "address" -> out.put("address", address);
        case "buy" -> {
          Claim claim = new Claim((String) m.get("channel"), (Long) m.get("drops"), (String) m.get("sig"));
          byte[] holder = (byte[]) m.get("holder");
          Receipt r = purchases.purchase(new PurchaseService.Request(claim, (Cid) m.get("cid"), (Long) m.get("price"),
              (String) m.get("token"), Optional.ofNullable((String) m.get("create")),
              holder == null ? null : NodePublicKey.of(holder)));
          out.put("receipt", r.encode());
        }
        default -> throw new IllegalArgumentException("op: must be address or buy");
      }
    } catch (PaymentRejectedException e) {
      out.put("code", e.reason().wireName());
      out.put("error", e.getMessage());
    } catch (ClassCastException | NullPointerException e) {
      out.put("code", "malformed");
      out.put("error", "purchase request has missing or mistyped fields");
    } catch (IllegalArgumentException e) {
      out.put("code", "malformed");
      out.put("error", e.getMessage());
    }
    return out;
  }

  /** The XRPL address purchases on {@code platform} pay into. */
  public String address(PeerId platform) throws IOException, Refused {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("v", 1L);
    req.put("op", "address");
    return (String) call(platform, req).get("address");
  }

  /**
   * Buys {@code cid} from {@code platform} with {@code claim}; returns the platform's verified receipt, which must
   * be for exactly this purchase (the CID, price, channel and claim asked for), else it is no proof of it.
   */
  public Receipt buy(PeerId platform, Claim claim, Cid cid, long price, String token, Optional<String> channelCreate)
      throws IOException, Refused {
    return buy(platform, claim, cid, price, token, channelCreate, null);
  }

  /**
   * As above for a buyer paying through a hub: the receipt must name {@code holder} (the buyer's receipt key; null
   * for none). The same claim sent again for the same purchase gets the same receipt (a lost answer is asked again).
   */
  public Receipt buy(PeerId platform, Claim claim, Cid cid, long price, String token, Optional<String> channelCreate,
      NodePublicKey holder) throws IOException, Refused {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("v", 1L);
    req.put("op", "buy");
    req.put("channel", claim.channel());
    req.put("drops", claim.drops());
    req.put("sig", claim.signature());
    req.put("cid", cid);
    req.put("price", price);
    req.put("token", token);
    req.put("create", channelCreate.orElse(null));
    if (holder != null) {
      req.put("holder", holder.bytes());
    }
    Receipt r = Receipt.decode((String) call(platform, req).get("receipt"));
    if (!r.verify() || !PeerId.of(r.platform()).equals(platform)) {
      throw new IOException("receipt from " + platform + " does not verify as that platform's");
    }
    if (!r.cid().equals(cid) || r.price() != price || !r.channel().equalsIgnoreCase(claim.channel())
        || r.claimAmount() != claim.drops() || !java.util.Objects.equals(r.holder(), holder)) {
      throw new IOException("receipt from " + platform + " is not for this purchase: it names " + r.cid() + " at "
          + r.price() + " drops paid by " + r.claimAmount() + " on " + r.channel() + ", we bought " + cid + " at "
          + price + " by " + claim.drops() + " on " + claim.channel());
    }
    return r;
  }

  private Map<?, ?> call(PeerId platform, Map<String, Object> req) throws IOException, Refused {
    byte[] bytes;
    Served local = served;
    if (platform.equals(self) && local != null) {
      // Buying what this node itself sells: there is no connection to oneself, so the request takes the same path
      // a peer's would (encoded, answered, decoded) without the network.
      bytes = DagCbor.encode(answer(local.purchases(), local.address(), DagCbor.encode(req)));
      return decodeAnswer(platform, bytes);
    }
    try {
      bytes = rr.call(platform, PROTOCOL, DagCbor.encode(req), MAX_BYTES, TIMEOUT)
          .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("purchase call to " + platform + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("purchase call to " + platform + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return decodeAnswer(platform, bytes);
  }

  private static Map<?, ?> decodeAnswer(PeerId platform, byte[] bytes) throws IOException, Refused {
    Map<?, ?> m;
    try {
      m = (Map<?, ?>) DagCbor.decode(bytes);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IOException("malformed purchase answer from " + platform);
    }
    if (m.get("error") != null) {
      throw new Refused(String.valueOf(m.get("code")), String.valueOf(m.get("error")));
    }
    return m;
  }
}
