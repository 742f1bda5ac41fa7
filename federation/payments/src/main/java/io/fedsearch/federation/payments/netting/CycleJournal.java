package io.fedsearch.federation.payments.netting;

import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.core.cbor.DagCbor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code netting_cycles} table: every debt cycle this node signed (role {@code party}) or coordinated (role
 * {@code coordinator}). A node's own debt in a cycle is reduced in the same write that makes its signature durable
 * (a pledge): from then on that amount is neither paid out nor pledged again, so when the fully signed statement
 * arrives the node can always record it — a signature is a promise the node must be able to keep. An abort gives
 * the pledge back in one write. Every check of what is still owed runs inside the write, on the committer thread,
 * so no payout or other netting can slip in between the check and the pledge.
 */
public final class CycleJournal {
  /** One cycle as this node knows it. */
  public record Row(String nonce, String role, String state, CycleStatement statement, List<byte[]> signatures,
      Set<String> acked, String creditor, String debtor, long amount, Instant at) {}

  /** A pledge refused inside its write: the debt is not (or no longer) there to reduce. */
  static final class Shortfall extends RuntimeException {
    Shortfall(String message) {
      super(message);
    }
  }

  static final String PARTY = "party";
  static final String COORDINATOR = "coordinator";

  private final PaymentsDb db;

  CycleJournal(PaymentsDb db) {
    this.db = db;
  }

  Optional<Row> find(String nonce) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM netting_cycles WHERE nonce=?")) {
        ps.setString(1, nonce);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
      }
    });
  }

  /** The nonce of a cycle from {@code coordinator} this node signed and has no decision for yet, if any. */
  Optional<String> undecidedFrom(String coordinator) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT nonce FROM netting_cycles WHERE role='" + PARTY
          + "' AND state='signed' AND coordinator=? LIMIT 1")) {
        ps.setString(1, coordinator);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  /** Cycles this node signed as a party and has no decision for, oldest first. */
  List<Row> inDoubt() {
    return select("SELECT * FROM netting_cycles WHERE role='" + PARTY + "' AND state='signed' ORDER BY at");
  }

  /** Coordinator rows still waiting for signatures or for acknowledgements, oldest first. */
  List<Row> unresolved() {
    return select("SELECT * FROM netting_cycles WHERE role='" + COORDINATOR
        + "' AND state IN ('collecting','committed','aborting') ORDER BY at");
  }

  /** Every cycle, oldest first. */
  public List<Row> all() {
    return select("SELECT * FROM netting_cycles ORDER BY at, nonce");
  }

  private List<Row> select(String sql) {
    return db.read(c -> {
      List<Row> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
      return out;
    });
  }

  /**
   * A party signs: its pledge (its debt to {@code creditor} reduced by the amount) and the row, durable together;
   * refused with {@link Shortfall} when it owes less than that, or its creditor is held.
   */
  void pledge(CycleStatement st, String creditor, String debtor, Instant now) {
    db.write(c -> {
      reserve(c, creditor, st.amount());
      insert(c, st, PARTY, "signed", creditor, debtor, now);
    });
  }

  /** The coordinator starts collecting signatures: known before anyone is asked, so a crash leads to an abort. */
  void collecting(CycleStatement st, String creditor, String debtor, Instant now) {
    db.write(c -> insert(c, st, COORDINATOR, "collecting", creditor, debtor, now));
  }

  /**
   * The coordinator has every other signature and adds its own: its pledge, the full set and the decision, in one
   * write. After this the cycle is decided; before it, only an abort can follow.
   */
  void commit(CycleStatement st, String creditor, List<byte[]> signatures, Instant now) {
    db.write(c -> {
      reserve(c, creditor, st.amount());
      update(c, st.nonceText(), "committed", encode(signatures), now, "collecting");
    });
  }

  /** A party records the fully signed statement (its pledge already reduced its debt). */
  void record(String nonce, List<byte[]> signatures, Instant now) {
    db.write(c -> update(c, nonce, "recorded", encode(signatures), now, "signed"));
  }

  /** A party records a fully signed statement it holds no pledge for (its journal lost it): pledge and record. */
  void recordUnpledged(CycleStatement st, String creditor, String debtor, List<byte[]> signatures, Instant now) {
    db.write(c -> {
      FeeBook.netted(NodePublicKey.fromHex(creditor), st.amount()).apply(c);
      insert(c, st, PARTY, "recorded", creditor, debtor, now);
      update(c, st.nonceText(), "recorded", encode(signatures), now, "recorded");
    });
  }

  /**
   * A party records a fully signed statement it had been told was aborted (only a coordinator that aborted after
   * committing does that): the full signature set wins, the pledge is taken again.
   */
  void reinstate(Row r, List<byte[]> signatures, Instant now) {
    db.write(c -> {
      if (update(c, r.nonce(), "recorded", encode(signatures), now, "aborted")) {
        FeeBook.netted(NodePublicKey.fromHex(r.creditor()), r.amount()).apply(c);
      }
    });
  }

  /** A party told of an abort for a cycle it never signed: remembered, so a late sign request is refused. */
  void tombstone(CycleStatement st, String creditor, String debtor, Instant now) {
    db.write(c -> insert(c, st, PARTY, "aborted", creditor, debtor, now));
  }

  /** A party gives its pledge back: the coordinator aborted the cycle. */
  void release(Row r, Instant now) {
    db.write(c -> {
      if (update(c, r.nonce(), "aborted", null, now, "signed")) {
        FeeBook.netted(NodePublicKey.fromHex(r.creditor()), -r.amount()).apply(c);
      }
    });
  }

  /** The coordinator decides to abort a cycle it never signed. */
  void aborting(String nonce, Instant now) {
    db.write(c -> update(c, nonce, "aborting", null, now, "collecting"));
  }

  /** The coordinator notes that {@code party} answered its commit or abort; ends the row once all have. */
  void acknowledged(Row r, String party, Instant now) {
    db.write(c -> {
      Set<String> acked = new LinkedHashSet<>(r.acked());
      acked.add(party);
      try (PreparedStatement ps = c.prepareStatement("UPDATE netting_cycles SET acked=?, updated_at=? WHERE nonce=?")) {
        ps.setString(1, String.join(",", acked));
        ps.setLong(2, now.toEpochMilli());
        ps.setString(3, r.nonce());
        ps.executeUpdate();
      }
    });
  }

  /** Ends a coordinator row once every other party acknowledged. */
  void finish(Row r, Instant now) {
    db.write(c -> update(c, r.nonce(), "committed".equals(r.state()) ? "done" : "aborted", null, now, r.state()));
  }

  private static void reserve(Connection c, String creditor, long amount) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT accrued-paid-netted, held_reason IS NOT NULL FROM fees WHERE node=?")) {
      ps.setString(1, creditor);
      try (ResultSet rs = ps.executeQuery()) {
        long due = rs.next() ? rs.getLong(1) : 0;
        if (due < amount) {
          throw new Shortfall("this node owes " + creditor + " " + due + " drops, less than the " + amount
              + " to cancel");
        }
        if (rs.getInt(2) != 0) {
          // A held node's fees are frozen pending review: setting them off would pay it all the same.
          throw new Shortfall("payouts to " + creditor + " are held here");
        }
      }
    }
    FeeBook.netted(NodePublicKey.fromHex(creditor), amount).apply(c);
  }

  private static void insert(Connection c, CycleStatement st, String role, String state, String creditor,
      String debtor, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO netting_cycles(nonce, role, state, coordinator,"
        + " creditor, debtor, amount, parties, statement, at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, st.nonceText());
      ps.setString(2, role);
      ps.setString(3, state);
      ps.setString(4, st.coordinator().hex());
      ps.setString(5, creditor);
      ps.setString(6, debtor);
      ps.setLong(7, st.amount());
      ps.setInt(8, st.parties().size());
      ps.setString(9, Base64.getEncoder().encodeToString(st.encoded()));
      ps.setLong(10, now.toEpochMilli());
      ps.setLong(11, now.toEpochMilli());
      ps.executeUpdate();
    }
  }

  /** Moves a row from state {@code from} to {@code to} (keeping its signatures when none are given). */
  private static boolean update(Connection c, String nonce, String to, String signatures, Instant now, String from)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE netting_cycles SET state=?,"
        + " signatures=coalesce(?, signatures), updated_at=? WHERE nonce=? AND state=?")) {
      ps.setString(1, to);
      ps.setString(2, signatures);
      ps.setLong(3, now.toEpochMilli());
      ps.setString(4, nonce);
      ps.setString(5, from);
      return ps.executeUpdate() == 1;
    }
  }

  private static String encode(List<byte[]> signatures) {
    return Base64.getEncoder().encodeToString(DagCbor.encode(new ArrayList<Object>(signatures)));
  }

  private static Row row(ResultSet rs) throws SQLException {
    CycleStatement st = CycleStatement.fromBody(DagCbor.decode(Base64.getDecoder().decode(rs.getString("statement"))));
    String sigs = rs.getString("signatures");
    List<byte[]> signatures = sigs == null ? null
        : CycleStatement.signaturesFrom(DagCbor.decode(Base64.getDecoder().decode(sigs)));
    Set<String> acked = new LinkedHashSet<>();
    for (String a : rs.getString("acked").split(",")) {
      if (!a.isEmpty()) {
        acked.add(a);
      }
    }
    return new Row(rs.getString("nonce"), rs.getString("role"), rs.getString("state"), st, signatures, acked,
        rs.getString("creditor"), rs.getString("debtor"), rs.getLong("amount"), Instant.ofEpochMilli(rs.getLong("at")));
  }
}
