package io.fedsearch.federation.payments.payout;

import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
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
import java.util.concurrent.locks.ReentrantLock;

/**
 * Offsets mutual discovery debts between two nodes so only the net moves through a channel. Node A (who owes B
 * {@code a_owes_b}) proposes; B answers with a statement it signs: both debts as each side declares its own, and
 * {@code offset = min(a_owes_b, b_owes_a)}; A checks and countersigns (its confirm carries B's signed statement);
 * B records the offset and acknowledges; A records it. Each side declares only what it owes, so neither can make
 * the other owe more. The statement with both signatures is kept in the {@code netting} table.
 *
 * <p>A lost acknowledgement must not leave B with the offset recorded and A without it (A would then pay in full
 * what B had already set off). So A writes B's signed statement down ({@code netting_pending}) before confirming
 * it, and until B answers A confirms that same statement again (in a freshly dated confirm, so a retry hours later
 * still passes the transport's freshness check) instead of starting a new netting. B looks the statement's nonce
 * up before anything else: one it recorded already is acknowledged again, however old; one it did not record and
 * will not (stale, or more than is still owed) is answered {@code netting_refused} with that nonce, and only then
 * does A drop it. Any other answer (an error, a lost or malformed reply) leaves it pending. So an offset is
 * recorded on both sides or on neither.
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
  /**
   * One netting step at a time. A lock rather than {@code synchronized}: initiating waits on the peer over the
   * network and every step writes the payments database, which inside a monitor would pin a virtual thread.
   */
  private final ReentrantLock stepping = new ReentrantLock();

  public Netting(NodeKey me, FeeBook fees, PaymentsDb db, Clock clock) {
    this.me = me;
    this.fees = fees;
    this.db = db;
    this.clock = clock;
  }

  private long due(NodePublicKey peer) {
    return fees.of(peer).map(FeeBook.Owed::due).orElse(0L);
  }

  /** Initiator: nets with {@code peer}; empty offset when there is nothing to offset. */
  Result initiate(NodePublicKey peer, PayoutTransport transport) throws IOException {
    stepping.lock();
    try {
      return initiateLocked(peer, transport);
    } finally {
      stepping.unlock();
    }
  }

  private Result initiateLocked(NodePublicKey peer, PayoutTransport transport) throws IOException {
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
    Pending pending = new Pending(peer.hex(), weOwe, bOwesA, offset, nonce, statementWire, now);
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO netting_pending(peer, we_owed, they_owed,"
          + " offset_amount, nonce, confirm, at) VALUES(?,?,?,?,?,?,?)")) {
        ps.setString(1, pending.peer());
        ps.setLong(2, weOwe);
        ps.setLong(3, bOwesA);
        ps.setLong(4, offset);
        ps.setString(5, Base64.getEncoder().encodeToString(pending.nonce()));
        ps.setString(6, Base64.getEncoder().encodeToString(statementWire));
        ps.setLong(7, now.toEpochMilli());
        ps.executeUpdate();
      }
    });
    return complete(peer, pending, transport);
  }

  /** A statement confirmed (or about to be) but not yet answered: the peer's signed statement and its figures. */
  private record Pending(String peer, long weOwed, long theyOwed, long offset, byte[] nonce, byte[] statement,
      Instant at) {}

  /**
   * Confirms a pending statement; records the netting (and forgets the pending statement) when the peer
   * acknowledges, forgets it when the peer refuses that very statement, keeps it for the next round otherwise.
   */
  private Result complete(NodePublicKey peer, Pending p, PayoutTransport transport) throws IOException {
    Map<String, Object> confirm = PayoutWire.body("netting_confirm", me.publicKey(), peer, clock.instant());
    confirm.put("statement", p.statement());
    byte[] confirmWire = PayoutWire.seal(me, confirm);
    byte[] answer = transport.exchange(peer, confirmWire);
    PayoutWire.Envelope done;
    try { // malformed: like a lost answer, the statement stays pending and is confirmed again next round
      done = PayoutWire.open(answer, me.publicKey(), clock.instant());
      if (!done.from().equals(peer)) {
        throw new IllegalArgumentException("answer signed by another node");
      }
      if ("netting_refused".equals(done.type())
          && Arrays.equals(done.bytes("nonce", NONCE_BYTES), p.nonce())) {
        // The peer did not record this statement and never will: nothing was offset on either side.
        db.write(c -> deletePending(c, p.peer()));
        throw new IOException("netting: " + peer.hex() + " did not record the offset: " + done.optText("message"));
      }
      if (!"netting_done".equals(done.type()) || done.num("offset") != p.offset()) {
        throw new IOException("netting: " + peer.hex() + " answered " + done.type()
            + (done.optText("message") == null ? "" : ": " + done.optText("message"))
            + "; the confirm stays pending and is sent again");
      }
    } catch (IllegalArgumentException e) {
      throw new IOException("netting: malformed answer from " + peer.hex() + ": " + e.getMessage(), e);
    }
    record(p.peer(), p.weOwed(), p.theyOwed(), p.offset(), confirmWire, p.at(), p.nonce(), true);
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
              Base64.getDecoder().decode(rs.getString(4)), statementOf(Base64.getDecoder().decode(rs.getString(5))),
              Instant.ofEpochMilli(rs.getLong(6))) : null;
        }
      }
    });
    return p == null ? null : complete(peer, p, transport);
  }

  /** The peer's statement in a pending row (rows written before statements were kept hold our whole confirm). */
  private static byte[] statementOf(byte[] stored) {
    if (io.fedsearch.core.cbor.DagCbor.decode(stored) instanceof Map<?, ?> outer
        && outer.get("m") instanceof Map<?, ?> body && "netting_confirm".equals(body.get("type"))
        && body.get("statement") instanceof byte[] statement) {
      return statement;
    }
    return stored;
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
    return io.fedsearch.core.cbor.DagCbor.encode(m);
  }

  /** Responder, on a proposal: states both debts and signs. */
  byte[] respond(PayoutWire.Envelope propose, Instant now) {
    stepping.lock();
    try {
      return respondLocked(propose, now);
    } finally {
      stepping.unlock();
    }
  }

  private byte[] respondLocked(PayoutWire.Envelope propose, Instant now) {
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

  /**
   * Responder, on the initiator's countersignature: checks our own statement inside, then its nonce first — one
   * recorded already is acknowledged again however old it is (a retry after a lost acknowledgement) — and records
   * it only while it is fresh and the offset is still owed; otherwise refuses that nonce, so the initiator drops it.
   */
  byte[] confirm(PayoutWire.Envelope confirm, Instant now) {
    stepping.lock();
    try {
      return confirmLocked(confirm, now);
    } finally {
      stepping.unlock();
    }
  }

  private byte[] confirmLocked(PayoutWire.Envelope confirm, Instant now) {
    Object raw = confirm.body().get("statement");
    if (!(raw instanceof byte[] wire)) {
      throw new IllegalArgumentException("netting_confirm lacks the statement");
    }
    PayoutWire.Envelope st = PayoutWire.openAnyTime(wire, confirm.from());
    if (!st.from().equals(me.publicKey()) || !"netting_statement".equals(st.type())) {
      throw new IllegalArgumentException("netting_confirm does not carry a statement signed by this node");
    }
    long offset = st.num("offset");
    long weOwe = st.num("b_owes_a");
    byte[] nonce = st.bytes("nonce", NONCE_BYTES);
    if (alreadyRecorded(confirm.from().hex(), nonce)) {
      // The initiator did not get our acknowledgement and sent its confirm again: acknowledge again, once only.
      return acknowledge(confirm.from(), offset, now);
    }
    if (Math.abs(st.num("at") - now.toEpochMilli()) > PayoutWire.MAX_SKEW.toMillis()) {
      return refuse(confirm.from(), nonce, now, "statement of " + Instant.ofEpochMilli(st.num("at"))
          + " is older than " + PayoutWire.MAX_SKEW + " and was never recorded here: propose again");
    }
    if (offset > due(confirm.from())) {
      return refuse(confirm.from(), nonce, now, "statement offsets " + offset + " but only "
          + due(confirm.from()) + " is still owed: propose again");
    }
    record(confirm.from().hex(), weOwe, st.num("a_owes_b"), offset, PayoutWire.seal(me, confirm.body()), now,
        nonce, false);
    return acknowledge(confirm.from(), offset, now);
  }

  private byte[] refuse(NodePublicKey peer, byte[] nonce, Instant now, String message) {
    Map<String, Object> no = PayoutWire.body("netting_refused", me.publicKey(), peer, now);
    no.put("nonce", nonce);
    no.put("message", message);
    return PayoutWire.seal(me, no);
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
        FeeBook.netted(NodePublicKey.fromHex(peer), offset).apply(c);
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
