package io.fedsearch.federation.payments.netting;

import io.fedsearch.core.cbor.CborMap;
import io.fedsearch.core.sign.SigningDomain;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodePublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statement every party of a debt cycle signs: {@code parties[i]} owes {@code parties[i+1]} (the last owes the
 * first) at least {@code amount}, and each of those debts is reduced by {@code amount}. Its canonical form is the
 * DAG-CBOR map {@code {v: 1, type: "netting_cycle", coordinator, parties: [32-byte keys], amount, nonce, at}}; a
 * signature is Ed25519 over that encoding for {@link SigningDomain#NETTING}, so it can never be mistaken for a
 * payout-protocol message (whose domain differs) nor replayed for another cycle (the nonce). By signing, a party vouches only for
 * its own debt — the edge it is the debtor of — exactly as in the bilateral statement; it accepts that what its
 * predecessor owes it drops by the same amount because the predecessor's signature on the same bytes says so.
 * The fully signed statement (every party's signature, in party order) is the proof each party records.
 */
public record CycleStatement(NodePublicKey coordinator, List<NodePublicKey> parties, long amount, byte[] nonce,
    long at) {
  /** Most parties in one cycle: bounds the statement (and the signatures gathered) well under a payout message. */
  public static final int MAX_PARTIES = 16;
  public static final int NONCE_BYTES = 16;

  public CycleStatement {
    parties = List.copyOf(parties);
    nonce = nonce.clone();
    if (parties.size() < 2 || parties.size() > MAX_PARTIES) {
      throw new IllegalArgumentException("a cycle has 2 to " + MAX_PARTIES + " parties, not " + parties.size());
    }
    if (new HashSet<>(parties).size() != parties.size()) {
      throw new IllegalArgumentException("a party appears twice in the cycle");
    }
    if (!parties.contains(coordinator)) {
      throw new IllegalArgumentException("the coordinator is not a party of the cycle");
    }
    if (amount <= 0) {
      throw new IllegalArgumentException("the amount to cancel must be positive, not " + amount);
    }
    if (nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException("nonce must be " + NONCE_BYTES + " bytes");
    }
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  /** The nonce as kept in the journal. */
  public String nonceText() {
    return java.util.Base64.getEncoder().encodeToString(nonce);
  }

  /** The canonical body. */
  public Map<String, Object> body() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", 1L);
    m.put("type", "netting_cycle");
    m.put("coordinator", coordinator.bytes());
    List<Object> ps = new ArrayList<>();
    parties.forEach(p -> ps.add(p.bytes()));
    m.put("parties", ps);
    m.put("amount", amount);
    m.put("nonce", nonce.clone());
    m.put("at", at);
    return m;
  }

  public byte[] encoded() {
    return DagCbor.encode(body());
  }

  /** What each party signs. */
  public byte[] signingBytes() {
    return SigningDomain.NETTING.message(encoded());
  }

  /**
   * Reads a statement from its body as received, refusing (by name) anything that is not exactly the canonical
   * form: unknown or missing fields, wrong types, a bad key.
   */
  public static CycleStatement fromBody(Object raw) {
    CborMap m = CborMap.of(raw, "statement")
        .onlyFields(Set.of("v", "type", "coordinator", "parties", "amount", "nonce", "at"));
    if (m.integer("v") != 1 || !"netting_cycle".equals(m.text("type", 32)) || m.size() != 7) {
      throw new IllegalArgumentException("cycle statement must be {v: 1, type: netting_cycle, coordinator, parties,"
          + " amount, nonce, at}");
    }
    List<Object> ps = m.list("parties", MAX_PARTIES);
    List<NodePublicKey> parties = new ArrayList<>();
    for (int i = 0; i < ps.size(); i++) {
      if (!(ps.get(i) instanceof byte[] key)) {
        throw m.refuse("parties", "item " + i + " is not a key");
      }
      parties.add(NodePublicKey.of(key));
    }
    return new CycleStatement(NodePublicKey.of(m.bytesExactly("coordinator", NodePublicKey.LENGTH)), parties,
        m.integer("amount"), m.bytes("nonce", 64), m.integer("at"));
  }

  /** The party {@code p} owes in this cycle. */
  public NodePublicKey creditorOf(NodePublicKey p) {
    int i = indexOf(p);
    return parties.get((i + 1) % parties.size());
  }

  /** The party that owes {@code p} in this cycle. */
  public NodePublicKey debtorOf(NodePublicKey p) {
    int i = indexOf(p);
    return parties.get((i + parties.size() - 1) % parties.size());
  }

  public int indexOf(NodePublicKey p) {
    int i = parties.indexOf(p);
    if (i < 0) {
      throw new IllegalArgumentException("node " + p.hex() + " is not a party of this cycle");
    }
    return i;
  }

  /** True when {@code signature} is {@code party}'s over this statement. */
  public boolean signedBy(NodePublicKey party, byte[] signature) {
    return signature != null && signature.length == NodePublicKey.SIGNATURE_LENGTH
        && party.verifies(signingBytes(), signature);
  }

  /**
   * Checks a full signature set: one signature per party, in party order, each verifying.
   *
   * @throws IllegalArgumentException naming the first party whose signature is missing or wrong
   */
  public void verifyAll(List<byte[]> signatures) {
    if (signatures.size() != parties.size()) {
      throw new IllegalArgumentException("cycle statement carries " + signatures.size() + " signatures for "
          + parties.size() + " parties");
    }
    byte[] bytes = signingBytes();
    for (int i = 0; i < parties.size(); i++) {
      byte[] s = signatures.get(i);
      if (s == null || s.length != NodePublicKey.SIGNATURE_LENGTH || !parties.get(i).verifies(bytes, s)) {
        throw new IllegalArgumentException("signature of party " + i + " (" + parties.get(i).hex()
            + ") does not verify over the cycle statement");
      }
    }
  }

  /** Reads a signature list as received. */
  public static List<byte[]> signaturesFrom(Object raw) {
    if (!(raw instanceof List<?> l) || l.size() > MAX_PARTIES) {
      throw new IllegalArgumentException("signatures must be a list of at most " + MAX_PARTIES);
    }
    List<byte[]> out = new ArrayList<>();
    for (Object o : l) {
      if (!(o instanceof byte[] b)) {
        throw new IllegalArgumentException("a signature is not bytes");
      }
      out.add(b);
    }
    return out;
  }

  /** Distinct parties, for callers that index by key. */
  public Set<NodePublicKey> partySet() {
    return new HashSet<>(parties);
  }
}
