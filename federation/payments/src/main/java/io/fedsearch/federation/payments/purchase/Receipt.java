package io.fedsearch.federation.payments.purchase;

import io.fedsearch.core.cbor.CborMap;
import io.fedsearch.core.sign.SigningDomain;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The platform's signed receipt of a sale: it sold {@code cid} for {@code price} drops, paid by the cumulative claim
 * of {@code claimAmount} over {@code channel}, attributed to {@code servingNode} by the token {@code tokenId}.
 * Signature: Ed25519 by the platform's node key over DAG-CBOR(fields) for {@link SigningDomain#RECEIPT}. Wire form: base64url of
 * DAG-CBOR {@code {r: fields, s: signature}}.
 *
 * <p>{@code holder} (optional, may be null): the buyer's Ed25519 receipt key for this platform, signed with the
 * rest, so a buyer who paid through a hub (the channel is the hub's) can later prove the purchase is theirs by
 * signing a challenge with that key. A receipt without one has exactly the fields (and signature) it always had.
 */
public record Receipt(long saleId, Cid cid, long price, String channel, long claimAmount, String tokenId,
    NodePublicKey servingNode, NodePublicKey platform, Instant at, NodePublicKey holder, byte[] signature) {

  public static final int MAX_WIRE_CHARS = 2048;
  private static final Set<String> FIELDS =
      Set.of("v", "sale", "cid", "price", "channel", "claim", "token", "node", "platform", "at", "holder");

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
    return SigningDomain.RECEIPT.message(DagCbor.encode(fields()));
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
      CborMap outer = CborMap.decodeBase64Url(wire, MAX_WIRE_CHARS, "receipt").onlyFields(Set.of("r", "s"));
      CborMap r = outer.map("r").onlyFields(FIELDS);
      if (r.integer("v") != 1 || outer.size() != 2) {
        throw new IllegalArgumentException("unknown receipt version or fields");
      }
      return new Receipt(r.integer("sale"), r.cid("cid"), r.integer("price"),
          HexFormat.of().withUpperCase().formatHex(r.bytesExactly("channel", 32)), r.integer("claim"),
          HexFormat.of().formatHex(r.bytes("token", 64)), NodePublicKey.of(r.bytesExactly("node", NodePublicKey.LENGTH)),
          NodePublicKey.of(r.bytesExactly("platform", NodePublicKey.LENGTH)), Instant.ofEpochMilli(r.integer("at")),
          r.has("holder") ? NodePublicKey.of(r.bytesExactly("holder", NodePublicKey.LENGTH)) : null,
          outer.bytes("s", 2 * NodePublicKey.SIGNATURE_LENGTH));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed receipt: " + e.getMessage(), e);
    }
  }

}
