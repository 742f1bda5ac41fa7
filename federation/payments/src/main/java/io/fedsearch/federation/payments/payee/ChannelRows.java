package io.fedsearch.federation.payments.payee;

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

/** Maps {@link ChannelTerms} to and from rows of the {@code channels} table (times there are ledger seconds). */
public final class ChannelRows {
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
