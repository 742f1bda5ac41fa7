package io.fedsearch.core.token;

import io.fedsearch.core.cbor.CborMap;
import io.fedsearch.core.sign.SigningDomain;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The receipt of a discovery: node {@code node} showed {@code cid} to a user for the query whose SHA-256 is
 * {@code queryHash}, at {@code issued}; valid until {@code expires}. Signed by the serving node; the platform that
 * sells the work checks it before owing that node a discovery fee.
 *
 * <p>Wire form: base64url (no padding) of the DAG-CBOR map {@code {t: <token map>, s: <signature>}}, where the
 * signature is Ed25519 over DAG-CBOR(token map) for {@link SigningDomain#ATTRIBUTION}, which keeps a token signature
 * from ever being valid as any other fedsearch signature. {@link #id()} (SHA-256 of the token map) names a token for
 * reuse checks.
 *
 * <p>Batches: a page of results gets its tokens from {@link #issueAll} with one signature instead of one per
 * token. The tokens are the leaves of a Merkle tree (leaf = SHA-256(0x00 ‖ DAG-CBOR(token map)), node =
 * SHA-256(0x01 ‖ left ‖ right), an odd node carried up unchanged); the signature is Ed25519 over
 * the root for {@link SigningDomain#ATTRIBUTION_BATCH}, and each token carries its path to the root as {@code p: [[siblingOnLeft,
 * sibling], …]}. A token is still checked on its own — the path and the one signature prove that the serving node
 * issued exactly this token — and the prefixes keep leaves, inner nodes and the two signature forms apart.
 */
public record AttributionToken(
    Cid cid, NodePublicKey node, byte[] queryHash, Instant issued, Instant expires, byte[] nonce) {

  private static final Set<String> TOKEN_FIELDS =
      Set.of("v", "cid", "node", "query", "issued", "expires", "nonce");
  /** Deepest accepted Merkle path: batches of up to 65,536 tokens. */
  public static final int MAX_PROOF_STEPS = 16;
  private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");
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
    return new Signed(t, servingNode.sign(SigningDomain.ATTRIBUTION, t.signedBody()));
  }

  /**
   * Tokens for a page of results shown now, all under one signature (see the class documentation), in the order
   * of {@code cids}.
   */
  public static List<Signed> issueAll(NodeKey servingNode, List<Cid> cids, String query, Instant now,
      Duration validity) {
    if (cids.isEmpty()) {
      return List.of();
    }
    if (cids.size() == 1) { // a batch of one is a plain token: nothing to share a signature with
      return List.of(issue(servingNode, cids.getFirst(), query, now, validity));
    }
    byte[] queryHash = hashQuery(query);
    Instant issued = now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    List<AttributionToken> tokens = new ArrayList<>(cids.size());
    List<byte[]> level = new ArrayList<>(cids.size());
    for (Cid cid : cids) {
      byte[] nonce = new byte[16];
      RANDOM.nextBytes(nonce);
      AttributionToken t = new AttributionToken(cid, servingNode.publicKey(), queryHash, issued,
          issued.plus(validity), nonce);
      tokens.add(t);
      level.add(t.leafHash());
    }
    List<List<ProofStep>> paths = new ArrayList<>(tokens.size());
    int[] position = new int[tokens.size()];
    for (int i = 0; i < tokens.size(); i++) {
      paths.add(new ArrayList<>());
      position[i] = i;
    }
    while (level.size() > 1) {
      List<byte[]> up = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        up.add(i + 1 < level.size() ? node(level.get(i), level.get(i + 1)) : level.get(i));
      }
      for (int t = 0; t < tokens.size(); t++) {
        int p = position[t];
        int sibling = p ^ 1;
        if (sibling < level.size()) {
          paths.get(t).add(new ProofStep(sibling < p, level.get(sibling)));
        }
        position[t] = p / 2;
      }
      level = up;
    }
    byte[] signature = servingNode.sign(SigningDomain.ATTRIBUTION_BATCH, level.getFirst());
    List<Signed> out = new ArrayList<>(tokens.size());
    for (int t = 0; t < tokens.size(); t++) {
      out.add(new Signed(tokens.get(t), signature, paths.get(t)));
    }
    return out;
  }

  /** One step of a token's path to its batch's Merkle root: the sibling hash and which side it is on. */
  public record ProofStep(boolean siblingOnLeft, byte[] sibling) {
    public ProofStep {
      if (sibling.length != 32) {
        throw new IllegalArgumentException("Merkle sibling must be 32 bytes");
      }
      sibling = sibling.clone();
    }

    @Override
    public byte[] sibling() {
      return sibling.clone();
    }
  }

  private byte[] leafHash() {
    byte[] body = DagCbor.encode(toIpld());
    byte[] in = new byte[body.length + 1];
    System.arraycopy(body, 0, in, 1, body.length); // in[0] = 0x00: a leaf
    return sha256(in);
  }

  private static byte[] node(byte[] left, byte[] right) {
    byte[] in = new byte[65];
    in[0] = 0x01;
    System.arraycopy(left, 0, in, 1, 32);
    System.arraycopy(right, 0, in, 33, 32);
    return sha256(in);
  }

  /** SHA-256 of the query as the user typed it, whitespace-normalised and lower-cased. */
  public static byte[] hashQuery(String query) {
    String normalized = SPACES.matcher(query.strip()).replaceAll(" ").toLowerCase(java.util.Locale.ROOT);
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

  /** The signed body: DAG-CBOR of the token map (signed for {@link SigningDomain#ATTRIBUTION}). */
  byte[] signedBody() {
    return DagCbor.encode(toIpld());
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

  /**
   * A token with the serving node's signature: over the token itself ({@code proof} empty), or over the root of
   * the batch it was issued in, with its path to that root.
   */
  public record Signed(AttributionToken token, byte[] signature, List<ProofStep> proof) {
    public Signed {
      signature = signature.clone();
      if (proof.size() > MAX_PROOF_STEPS) {
        throw new IllegalArgumentException("Merkle path longer than " + MAX_PROOF_STEPS + " steps");
      }
      proof = List.copyOf(proof);
    }

    public Signed(AttributionToken token, byte[] signature) {
      this(token, signature, List.of());
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    /** True when the signature is the token's own node's over the token (or over a batch holding it). */
    public boolean verify() {
      if (proof.isEmpty()) {
        return token.node().verifies(SigningDomain.ATTRIBUTION, token.signedBody(), signature);
      }
      byte[] h = token.leafHash();
      for (ProofStep step : proof) {
        h = step.siblingOnLeft() ? node(step.sibling, h) : node(h, step.sibling);
      }
      return token.node().verifies(SigningDomain.ATTRIBUTION_BATCH, h, signature);
    }

    public String encode() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("t", token.toIpld());
      m.put("s", signature);
      if (!proof.isEmpty()) {
        List<Object> p = new ArrayList<>(proof.size());
        for (ProofStep step : proof) {
          p.add(List.of(step.siblingOnLeft(), step.sibling));
        }
        m.put("p", p);
      }
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
        CborMap outer = CborMap.decodeBase64Url(wire, MAX_WIRE_CHARS, "token");
        boolean batched = outer.has("p");
        outer.onlyFields(batched ? Set.of("t", "s", "p") : Set.of("t", "s"));
        CborMap t = outer.map("t").onlyFields(TOKEN_FIELDS);
        if (t.integer("v") != 1 || t.size() != TOKEN_FIELDS.size()) {
          throw new IllegalArgumentException("unknown token version or fields");
        }
        AttributionToken token = new AttributionToken(
            t.cid("cid"),
            NodePublicKey.of(t.bytesExactly("node", NodePublicKey.LENGTH)),
            t.bytesExactly("query", 32),
            Instant.ofEpochMilli(t.integer("issued")),
            Instant.ofEpochMilli(t.integer("expires")),
            t.bytesExactly("nonce", 16));
        List<ProofStep> proof = new ArrayList<>();
        if (batched) {
          List<Object> steps = outer.list("p", MAX_PROOF_STEPS);
          if (steps.isEmpty()) {
            throw new IllegalArgumentException("Merkle path must have 1 to " + MAX_PROOF_STEPS + " steps");
          }
          for (int i = 0; i < steps.size(); i++) {
            if (!(steps.get(i) instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof Boolean left)
                || !(pair.get(1) instanceof byte[] sibling) || sibling.length != 32) {
              throw new IllegalArgumentException(outer.item("p", i) + ": a Merkle step is [siblingOnLeft, 32 bytes]");
            }
            proof.add(new ProofStep(left, sibling));
          }
        }
        return new Signed(token, outer.bytes("s", 2 * NodePublicKey.SIGNATURE_LENGTH), proof);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("malformed attribution token: " + e.getMessage(), e);
      }
    }
  }
}
