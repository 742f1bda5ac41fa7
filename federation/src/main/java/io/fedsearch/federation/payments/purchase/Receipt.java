package io.fedsearch.federation.payments.purchase;

import io.fedsearch.indexer.cid.Cid;
import io.fedsearch.indexer.cid.DagCbor;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.indexer.identity.NodePublicKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platform's signed receipt of a sale: it sold {@code cid} for {@code price} drops, paid by the cumulative claim
 * of {@code claimAmount} over {@code channel}, attributed to {@code servingNode} by the token {@code tokenId}.
 * Signature: Ed25519 by the platform's node key over {@link #DOMAIN} ‖ DAG-CBOR(fields). Wire form: base64url of
 * DAG-CBOR {@code {r: fields, s: signature}}.
 *
 * <p>{@code holder} (optional, may be null): the buyer's Ed25519 receipt key for this platform, signed with the
 * rest, so a buyer who paid through a hub (the channel is the hub's) can later prove the purchase is theirs by
 * signing a challenge with that key. A receipt without one has exactly the fields (and signature) it always had.
 */
public record Receipt(long saleId, Cid cid, long price, String channel, long claimAmount, String tokenId,
    NodePublicKey servingNode, NodePublicKey platform, Instant at, NodePublicKey holder, byte[] signature) {

  public static final byte[] DOMAIN = "fedsearch-receipt-v1:".getBytes(StandardCharsets.US_ASCII);
  public static final int MAX_WIRE_CHARS = 2048;

  public Receipt {
    signature = signature.clone();
  }

  /** A receipt without a holder (as every receipt was before hubs). */
  public Receipt(long saleId, Cid cid, long price, String channel, long claimAmount, String tokenId,
      NodePublicKey servingNode, NodePublicKey platform, Instant at, byte[] signature) {
    this(saleId, cid, price, channel, claimAmount, tokenId, servingNode, platform, at, null, signature);
  }

  static Receipt sign(NodeKey platformKey, long saleId, Cid cid, long price, String channel, long claimAmount,
      String tokenId, NodePublicKey servingNode, Instant at, NodePublicKey holder) {
    Receipt unsigned = new Receipt(saleId, cid, price, channel, claimAmount, tokenId, servingNode,
        platformKey.publicKey(), at, holder, new byte[0]);
    return new Receipt(saleId, cid, price, channel, claimAmount, tokenId, servingNode, platformKey.publicKey(), at,
        holder, platformKey.sign(unsigned.signingBytes()));
  }

  private Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", 1L);
    m.put("sale", saleId);
    m.put("cid", cid);
    m.put("price", price);
    m.put("channel", HexFormat.of().parseHex(channel));
    m.put("claim", claimAmount);
    m.put("token", HexFormat.of().parseHex(tokenId));
    m.put("node", servingNode.bytes());
    m.put("platform", platform.bytes());
    m.put("at", at.toEpochMilli());
    if (holder != null) {
      m.put("holder", holder.bytes());
    }
    return m;
  }

  byte[] signingBytes() {
    byte[] body = DagCbor.encode(fields());
    byte[] out = Arrays.copyOf(DOMAIN, DOMAIN.length + body.length);
    System.arraycopy(body, 0, out, DOMAIN.length, body.length);
    return out;
  }

  /** True when the signature is the platform's over the fields. */
  public boolean verify() {
    return platform.verifies(signingBytes(), signature);
  }

  public String encode() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("r", fields());
    m.put("s", signature);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(DagCbor.encode(m));
  }

  /** Parses the wire form (does not verify: call {@link #verify()}). */
  public static Receipt decode(String wire) {
    if (wire == null || wire.isEmpty() || wire.length() > MAX_WIRE_CHARS) {
      throw new IllegalArgumentException("receipt missing or longer than " + MAX_WIRE_CHARS);
    }
    try {
      Map<?, ?> outer = (Map<?, ?>) DagCbor.decode(Base64.getUrlDecoder().decode(wire));
      Map<?, ?> r = (Map<?, ?>) outer.get("r");
      int fields = r.containsKey("holder") ? 11 : 10;
      if (!Long.valueOf(1).equals(r.get("v")) || r.size() != fields || outer.size() != 2) {
        throw new IllegalArgumentException("unknown receipt version or fields");
      }
      return new Receipt((Long) r.get("sale"), (Cid) r.get("cid"), (Long) r.get("price"),
          HexFormat.of().withUpperCase().formatHex((byte[]) r.get("channel")), (Long) r.get("claim"),
          HexFormat.of().formatHex((byte[]) r.get("token")), NodePublicKey.of((byte[]) r.get("node")),
          NodePublicKey.of((byte[]) r.get("platform")), Instant.ofEpochMilli((Long) r.get("at")),
          r.containsKey("holder") ? NodePublicKey.of((byte[]) r.get("holder")) : null, (byte[]) outer.get("s"));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("malformed receipt: wrong field types");
    }
  }
}
