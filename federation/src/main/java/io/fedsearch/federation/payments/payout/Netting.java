package io.fedsearch.federation.payments.payout;

import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.indexer.identity.NodePublicKey;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Offsets mutual discovery debts between two nodes so only the net moves through a channel. Node A (who owes B
 * {@code a_owes_b}) proposes; B answers with a statement it signs: both debts as each side declares its own, and
 * {@code offset = min(a_owes_b, b_owes_a)}; A checks and countersigns (its confirm carries B's signed statement);
 * B records the offset and acknowledges; A records it. Each side declares only what it owes, so neither can make
 * the other owe more. The statement with both signatures is kept in the {@code netting} table.
 *
 * <p>A lost acknowledgement must not leave B with the offset recorded and A without it (A would then pay in full
 * what B had already set off). So A writes its confirm down ({@code netting_pending}) before sending it, and until
 * B answers it A sends that same confirm again instead of starting a new netting; B answers a confirm it has
 * recorded already with the same acknowledgement, so the retry is safe however often it happens.
 */
public final class Netting {
  /** One completed netting: what each side owed before and the amount offset. */
  public record Result(String peer, long weOwed, long theyOwed, long offset, Instant at) {
    /** Value that did not have to move through channels: both offsets. */
    public long saving() {
      return 2 * offset;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE_BYTES = 16;
  private final NodeKey me;
  private final FeeBook fees;
  private final PaymentsDb db;
  private final Clock clock;

  public Netting(NodeKey me, FeeBook fees, PaymentsDb db, Clock clock) {
    this.me = me;
    this.fees = fees;
    this.db = db;
    this.clock = clock;
  }

  private long due(NodePublicKey peer) {
    return fees.of(peer.hex()).map(FeeBook.Owed::due).orElse(0L);
  }

  /** Initiator: nets with {@code peer}; empty offset when there is nothing to offset. */
  synchronized Result initiate(NodePublicKey peer, PayoutTransport transport) throws IOException {
    Result settled = resolvePending(peer, transport);
    if (settled != null) {
      return settled; // the earlier netting is now recorded on both sides; the next round proposes afresh
    }
    Instant now = clock.instant();
    long weOwe = due(peer);
    Map<String, Object> propose = PayoutWire.body("netting_propose", me.publicKey(), peer, now);
    propose.put("owed", weOwe);
    byte[] answer = transport.exchange(peer, PayoutWire.seal(me, propose));
    PayoutWire.Envelope st;
    long bOwesA;
    long offset;
    byte[] nonce;
    try { // whatever the peer signed, a malformed statement is its fault: named, and nothing is recorded
      st = PayoutWire.open(answer, me.publicKey(), clock.instant());
      if (!st.from().equals(peer) || !"netting_statement".equals(st.type())) {
        throw new IOException("netting: expected a statement from " + peer.hex() + ", got " + st.type()
            + (st.optText("message") == null ? "" : ": " + st.optText("message")));
      }
      long aOwesB = st.num("a_owes_b");
      bOwesA = st.num("b_owes_a");
      offset = st.num("offset");
      nonce = st.bytes("nonce", NONCE_BYTES);
      if (aOwesB != weOwe || offset != Math.min(aOwesB, bOwesA) || offset < 0
          || !Arrays.equals(st.bytes("a", me.publicKey().bytes().length), me.publicKey().bytes())) {
        throw new IOException("netting: the statement from " + peer.hex() + " does not match our proposal");
      }
    } catch (IllegalArgumentException e) {
      throw new IOException("netting: malformed answer from " + peer.hex() + ": " + e.getMessage(), e);
    }
    if (offset == 0) {
      return new Result(peer.hex(), weOwe, bOwesA, 0, now);
    }
    byte[] statementWire = reseal(st);
    Map<String, Object> confirm = PayoutWire.body("netting_confirm", me.publicKey(), peer, clock.instant());
    confirm.put("statement", statementWire);
    byte[] confirmWire = PayoutWire.seal(me, confirm);
    Pending pending = new Pending(peer.hex(), weOwe, bOwesA, offset, nonce, confirmWire, now);
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO netting_pending(peer, we_owed, they_owed,"
          + " offset_amount, nonce, confirm, at) VALUES(?,?,?,?,?,?,?)")) {
        ps.setString(1, pending.peer());
        ps.setLong(2, weOwe);
        ps.setLong(3, bOwesA);
        ps.setLong(4, offset);
        ps.setString(5, Base64.getEncoder().encodeToString(pending.nonce()));
        ps.setString(6, Base64.getEncoder().encodeToString(confirmWire));
        ps.setLong(7, now.toEpochMilli());
        ps.executeUpdate();
      }
    });
    return complete(peer, pending, transport);
  }

  /** A confirm sent but not yet answered. */
  private record Pending(String peer, long weOwed, long theyOwed, long offset, byte[] nonce, byte[] confirm,
      Instant at) {}

  /** Sends a pending confirm; records the netting (and forgets the pending confirm) when the peer acknowledges. */
  private Result complete(NodePublicKey peer, Pending p, PayoutTransport transport) throws IOException {
    byte[] answer = transport.exchange(peer, p.confirm());
    PayoutWire.Envelope done;
    boolean recorded;
    try { // malformed: like a lost answer, the confirm stays pending and is sent again next round
      done = PayoutWire.open(answer, me.publicKey(), clock.instant());
      recorded = done.from().equals(peer) && "netting_done".equals(done.type()) && done.num("offset") == p.offset();
    } catch (IllegalArgumentException e) {
      throw new IOException("netting: malformed answer from " + peer.hex() + ": " + e.getMessage(), e);
    }
    if (!recorded) {
      // The peer refused (it did not record it, and will not): nothing was offset on either side.
      db.write(c -> deletePending(c, p.peer()));
      throw new IOException("netting: " + peer.hex() + " did not record the offset"
          + (done.optText("message") == null ? "" : ": " + done.optText("message")));
    }
    record(p.peer(), p.weOwed(), p.theyOwed(), p.offset(), p.confirm(), p.at(), p.nonce(), true);
    return new Result(p.peer(), p.weOwed(), p.theyOwed(), p.offset(), p.at());
  }

  /** Settles an unanswered confirm to {@code peer} first, if there is one; null when there was none. */
  private Result resolvePending(NodePublicKey peer, PayoutTransport transport) throws IOException {
    Pending p = db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT we_owed, they_owed, offset_amount, nonce, confirm, at"
          + " FROM netting_pending WHERE peer=?")) {
        ps.setString(1, peer.hex());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? new Pending(peer.hex(), rs.getLong(1), rs.getLong(2), rs.getLong(3),
              Base64.getDecoder().decode(rs.getString(4)), Base64.getDecoder().decode(rs.getString(5)),
              Instant.ofEpochMilli(rs.getLong(6))) : null;
        }
      }
    });
    return p == null ? null : complete(peer, p, transport);
  }

  private static void deletePending(java.sql.Connection c, String peer) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM netting_pending WHERE peer=?")) {
      ps.setString(1, peer);
      ps.executeUpdate();
    }
  }

  /** B's statement exactly as B signed it (re-encoding canonical DAG-CBOR gives the same bytes). */
  private static byte[] reseal(PayoutWire.Envelope st) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("m", st.body());
    m.put("s", st.signature());
    return io.fedsearch.indexer.cid.DagCbor.encode(m);
  }

  /** Responder, on a proposal: states both debts and signs. */
  synchronized byte[] respond(PayoutWire.Envelope propose, Instant now) {
    long aOwesB = propose.num("owed");
    if (aOwesB < 0) {
      throw new IllegalArgumentException("owed must not be negative");
    }
    long bOwesA = due(propose.from());
    Map<String, Object> st = PayoutWire.body("netting_statement", me.publicKey(), propose.from(), now);
    st.put("a", propose.from().bytes());
    st.put("b", me.publicKey().bytes());
    st.put("a_owes_b", aOwesB);
    st.put("b_owes_a", bOwesA);
    st.put("offset", Math.min(aOwesB, bOwesA));
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    st.put("nonce", nonce);
    return PayoutWire.seal(me, st);
  }

  /** Responder, on the initiator's countersignature: checks our own statement inside, records, acknowledges. */
  synchronized byte[] confirm(PayoutWire.Envelope confirm, Instant now) {
    Object raw = confirm.body().get("statement");
    if (!(raw instanceof byte[] wire)) {
      throw new IllegalArgumentException("netting_confirm lacks the statement");
    }
    PayoutWire.Envelope st = PayoutWire.open(wire, confirm.from(), now);
    if (!st.from().equals(me.publicKey()) || !"netting_statement".equals(st.type())) {
      throw new IllegalArgumentException("netting_confirm does not carry a statement signed by this node");
    }
    long offset = st.num("offset");
    long weOwe = st.num("b_owes_a");
    if (alreadyRecorded(confirm.from().hex(), (byte[]) st.body().get("nonce"))) {
      // The initiator did not get our acknowledgement and sent its confirm again: acknowledge again, once only.
      return acknowledge(confirm.from(), offset, now);
    }
    if (offset > due(confirm.from())) {
      throw new IllegalArgumentException("statement offsets " + offset + " but only " + due(confirm.from())
          + " is still owed: propose again");
    }
    record(confirm.from().hex(), weOwe, st.num("a_owes_b"), offset, PayoutWire.seal(me, confirm.body()), now,
        (byte[]) st.body().get("nonce"), false);
    return acknowledge(confirm.from(), offset, now);
  }

  private byte[] acknowledge(NodePublicKey peer, long offset, Instant now) {
    Map<String, Object> done = PayoutWire.body("netting_done", me.publicKey(), peer, now);
    done.put("offset", offset);
    return PayoutWire.seal(me, done);
  }

  private boolean alreadyRecorded(String peer, byte[] nonce) {
    String tag = Base64.getEncoder().encodeToString(nonce);
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM netting WHERE peer=? AND statement LIKE ?")) {
        ps.setString(1, peer);
        ps.setString(2, tag + ":%");
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  private void record(String peer, long weOwed, long theyOwed, long offset, byte[] evidence, Instant at,
      byte[] nonce, boolean initiated) {
    String statement = Base64.getEncoder().encodeToString(nonce) + ":" + Base64.getEncoder().encodeToString(evidence);
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO netting(peer, we_owed, they_owed, offset_amount,"
          + " statement, at) VALUES(?,?,?,?,?,?)")) {
        ps.setString(1, peer);
        ps.setLong(2, weOwed);
        ps.setLong(3, theyOwed);
        ps.setLong(4, offset);
        ps.setString(5, statement);
        ps.setLong(6, at.toEpochMilli());
        ps.executeUpdate();
      }
      if (offset > 0) {
        FeeBook.netted(peer, offset).apply(c);
      }
      if (initiated) {
        deletePending(c, peer); // in the same write: recorded and no longer pending, or neither
      }
    });
  }

  /** Every netting this node took part in. */
  public List<Result> history() {
    return db.read(c -> {
      List<Result> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT peer, we_owed, they_owed, offset_amount, at FROM netting ORDER BY id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Result(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
              Instant.ofEpochMilli(rs.getLong(5))));
        }
      }
      return out;
    });
  }
}
