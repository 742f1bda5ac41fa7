package io.fedsearch.federation.query;

import io.fedsearch.indexer.cid.Cid;
import io.fedsearch.indexer.cid.DagCbor;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.indexer.identity.NodePublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The receipt of a discovery: node {@code node} showed {@code cid} to a user for the query whose SHA-256 is
 * {@code queryHash}, at {@code issued}; valid until {@code expires}. Signed by the serving node; the platform that
 * sells the work checks it before owing that node a discovery fee.
 *
 * <p>Wire form: base64url (no padding) of the DAG-CBOR map {@code {t: <token map>, s: <signature>}}, where the
 * signature is Ed25519 over {@link #DOMAIN} ‖ DAG-CBOR(token map). The domain prefix keeps a token signature from
 * ever being valid as any other fedsearch signature. {@link #id()} (SHA-256 of the token map) names a token for
 * reuse checks.
 */
public record AttributionToken(
    Cid cid, NodePublicKey node, byte[] queryHash, Instant issued, Instant expires, byte[] nonce) {

  public static final byte[] DOMAIN = "fedsearch-attribution-v1:".getBytes(StandardCharsets.US_ASCII);
  /** Longest accepted wire form; bounds parsing of untrusted tokens. */
  public static final int MAX_WIRE_CHARS = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  public AttributionToken {
    if (queryHash.length != 32) {
      throw new IllegalArgumentException("queryHash must be 32 bytes");
    }
    if (nonce.length != 16) {
      throw new IllegalArgumentException("nonce must be 16 bytes");
    }
    if (!expires.isAfter(issued)) {
      throw new IllegalArgumentException("token expires before it is issued");
    }
    queryHash = queryHash.clone();
    nonce = nonce.clone();
  }

  /** A new token for a result shown now, signed by {@code servingNode}. */
  public static Signed issue(NodeKey servingNode, Cid cid, String query, Instant now, Duration validity) {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    Instant issued = now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    AttributionToken t =
        new AttributionToken(cid, servingNode.publicKey(), hashQuery(query), issued, issued.plus(validity), nonce);
    return new Signed(t, servingNode.sign(t.signingBytes()));
  }

  /** SHA-256 of the query as the user typed it, whitespace-normalised and lower-cased. */
  public static byte[] hashQuery(String query) {
    String normalized = query.strip().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
    return sha256(normalized.getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, Object> toIpld() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", 1L);
    m.put("cid", cid);
    m.put("node", node.bytes());
    m.put("query", queryHash);
    m.put("issued", issued.toEpochMilli());
    m.put("expires", expires.toEpochMilli());
    m.put("nonce", nonce);
    return m;
  }

  byte[] signingBytes() {
    byte[] body = DagCbor.encode(toIpld());
    byte[] out = Arrays.copyOf(DOMAIN, DOMAIN.length + body.length);
    System.arraycopy(body, 0, out, DOMAIN.length, body.length);
    return out;
  }

  /** Stable identifier of this token: SHA-256 of its encoding (signature excluded). */
  public byte[] id() {
    return sha256(DagCbor.encode(toIpld()));
  }

  public boolean isExpired(Instant now) {
    return !now.isBefore(expires);
  }

  @Override
  public byte[] queryHash() {
    return queryHash.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token with the serving node's signature. */
  public record Signed(AttributionToken token, byte[] signature) {
    public Signed {
      signature = signature.clone();
    }

    /** True when the signature is the token's own node's over the token. */
    public boolean verify() {
      return token.node().verifies(token.signingBytes(), signature);
    }

    public String encode() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("t", token.toIpld());
      m.put("s", signature);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(DagCbor.encode(m));
    }

    /**
     * Parses the wire form. Does not check the signature or expiry: call {@link #verify()} and
     * {@link AttributionToken#isExpired(Instant)}.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static Signed decode(String wire) {
      if (wire == null || wire.isEmpty() || wire.length() > MAX_WIRE_CHARS) {
        throw new IllegalArgumentException("attribution token missing or longer than " + MAX_WIRE_CHARS);
      }
      try {
        Object o = DagCbor.decode(Base64.getUrlDecoder().decode(wire));
        Map<?, ?> outer = (Map<?, ?>) o;
        Map<?, ?> t = (Map<?, ?>) outer.get("t");
        if (!Long.valueOf(1).equals(t.get("v")) || t.size() != 7 || outer.size() != 2) {
          throw new IllegalArgumentException("unknown token version or fields");
        }
        AttributionToken token = new AttributionToken(
            (Cid) t.get("cid"),
            NodePublicKey.of((byte[]) t.get("node")),
            (byte[]) t.get("query"),
            Instant.ofEpochMilli((Long) t.get("issued")),
            Instant.ofEpochMilli((Long) t.get("expires")),
            (byte[]) t.get("nonce"));
        return new Signed(token, (byte[]) outer.get("s"));
      } catch (ClassCastException | NullPointerException e) {
        throw new IllegalArgumentException("malformed attribution token: wrong field types");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("malformed attribution token: " + e.getMessage(), e);
      }
    }
  }
}
