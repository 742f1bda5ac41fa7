package io.fedsearch.federation.payments.journal;

import io.fedsearch.federation.payments.channel.ChannelTerms;
import io.fedsearch.federation.payments.channel.XrplTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import org.xrpl.xrpl4j.crypto.keys.PublicKey;

/**
 * The {@code channels} table: every statement over it is here (callers bind and run them), and {@link ChannelTerms}
 * to and from its rows (times there are ledger seconds). One class owns a table's SQL so that a schema step
 * ({@link Schema}) and every use of a column can be read side by side.
 */
public final class ChannelRows {
  /** Every channel this node pays into. */
  public static final String PAYERS = "SELECT * FROM channels WHERE role='payer'";
  /** Every channel this node is paid through. */
  public static final String PAYEES = "SELECT * FROM channels WHERE role='payee'";
  /** A payer channel's new best claim: amount, signature, time (ms), id. */
  public static final String SET_BEST_CLAIM =
      "UPDATE channels SET best_amount=?, best_signature=?, last_claim_at=? WHERE id=?";
  /** A top-up or fund counted: drops, id. */
  public static final String ADD_AMOUNT = "UPDATE channels SET amount=amount+? WHERE id=?";
  /** A payer channel whose close is queued: id. */
  public static final String SET_CLOSING = "UPDATE channels SET status='closing' WHERE id=?";
  /** The signed create of a channel: id. */
  public static final String CREATE_BLOB = "SELECT create_blob FROM channels WHERE id=?";
  /** An idle provisional payee channel that never carried a claim: id, id. */
  public static final String DELETE_IDLE_PROVISIONAL = "DELETE FROM channels WHERE id=? AND role='payee'"
      + " AND confirmed=0 AND NOT EXISTS (SELECT 1 FROM claims WHERE channel=?)";
  /** Settled amount raised (never lowered) and when settlement was queued: amount, time (ms), id. */
  public static final String RAISE_SETTLED_AT =
      "UPDATE channels SET settled_amount=max(settled_amount, ?), last_settle_at=? WHERE id=?";
  /** Settled amount raised to what the ledger validated: amount, id. */
  public static final String RAISE_SETTLED = "UPDATE channels SET settled_amount=max(settled_amount, ?) WHERE id=?";

  private ChannelRows() {}

  public static ChannelTerms terms(ResultSet rs) throws SQLException {
    return new ChannelTerms(rs.getString("id"), rs.getString("source"), rs.getString("destination"),
        PublicKey.fromBase16EncodedPublicKey(rs.getString("public_key")), rs.getLong("amount"), rs.getLong("balance"),
        rs.getLong("settle_delay"), ledgerTime(rs, "cancel_after"), ledgerTime(rs, "expiration"),
        rs.getInt("confirmed") != 0);
  }

  public static void insert(Connection c, ChannelTerms t, String role, String status, String peer, String createBlob,
      Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO channels(id, role, source, destination,"
        + " public_key, amount, balance, settle_delay, cancel_after, expiration, confirmed, status, create_blob,"
        + " peer, opened_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, t.id());
      ps.setString(2, role);
      ps.setString(3, t.source());
      ps.setString(4, t.destination());
      ps.setString(5, t.publicKey().base16Value());
      ps.setLong(6, t.amount());
      ps.setLong(7, t.balance());
      ps.setLong(8, t.settleDelaySeconds());
      setTime(ps, 9, t.cancelAfter());
      setTime(ps, 10, t.expiration());
      ps.setInt(11, t.confirmed() ? 1 : 0);
      ps.setString(12, status);
      ps.setString(13, createBlob);
      ps.setString(14, peer);
      ps.setLong(15, now.toEpochMilli());
      ps.executeUpdate();
    }
  }

  /** Writes what the ledger may change over a channel's life: amount, balance, expiration; and its status. */
  public static void updateLedger(Connection c, ChannelTerms t, String status) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE channels SET amount=?, balance=?, expiration=?, confirmed=?, status=? WHERE id=?")) {
      ps.setLong(1, t.amount());
      ps.setLong(2, t.balance());
      setTime(ps, 3, t.expiration());
      ps.setInt(4, t.confirmed() ? 1 : 0);
      ps.setString(5, status);
      ps.setString(6, t.id());
      ps.executeUpdate();
    }
  }

  /** Writes every term of {@code t} (as the ledger states them) and the channel's status. */
  public static void updateTerms(Connection c, ChannelTerms t, String status) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE channels SET source=?, destination=?, public_key=?,"
        + " amount=?, balance=?, settle_delay=?, cancel_after=?, expiration=?, confirmed=?, status=? WHERE id=?")) {
      ps.setString(1, t.source());
      ps.setString(2, t.destination());
      ps.setString(3, t.publicKey().base16Value());
      ps.setLong(4, t.amount());
      ps.setLong(5, t.balance());
      ps.setLong(6, t.settleDelaySeconds());
      setTime(ps, 7, t.cancelAfter());
      setTime(ps, 8, t.expiration());
      ps.setInt(9, t.confirmed() ? 1 : 0);
      ps.setString(10, status);
      ps.setString(11, t.id());
      ps.executeUpdate();
    }
  }

  public static Instant instant(ResultSet rs, String col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static Optional<Instant> ledgerTime(ResultSet rs, String col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? Optional.empty() : Optional.of(XrplTime.toInstant(v));
  }

  private static void setTime(PreparedStatement ps, int i, Optional<Instant> t) throws SQLException {
    if (t.isPresent()) {
      ps.setLong(i, XrplTime.of(t.get()));
    } else {
      ps.setNull(i, Types.INTEGER);
    }
  }
}
