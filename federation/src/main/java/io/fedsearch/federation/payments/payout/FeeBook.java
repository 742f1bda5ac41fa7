package io.fedsearch.federation.payments.payout;

import io.fedsearch.federation.payments.journal.PaymentsDb;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Discovery fees this platform owes each serving node (by node public key hex): accrued from sales, paid through
 * payout claims, offset by netting. A node can be held (payouts stop) with a reason.
 */
public final class FeeBook {
  /** What is owed to one node. */
  public record Owed(String node, long accrued, long paid, long netted, Optional<Instant> firstUnpaidAt,
      Optional<String> heldReason) {
    public long due() {
      return accrued - paid - netted;
    }
  }

  private final PaymentsDb db;

  public FeeBook(PaymentsDb db) {
    this.db = db;
  }

  /** A write adding {@code fee} to what {@code node} is owed (part of the sale's transaction). */
  public static PaymentsDb.Write accrue(String node, long fee, Instant at) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO fees(node, accrued, first_unpaid_at) VALUES(?,?,?)"
          + " ON CONFLICT(node) DO UPDATE SET accrued=accrued+excluded.accrued,"
          + " first_unpaid_at=coalesce(first_unpaid_at, excluded.first_unpaid_at)")) {
        ps.setString(1, node);
        ps.setLong(2, fee);
        ps.setLong(3, at.toEpochMilli());
        ps.executeUpdate();
      }
    };
  }

  public List<Owed> all() {
    return db.read(c -> {
      List<Owed> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM fees ORDER BY node");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long first = rs.getLong("first_unpaid_at");
          Optional<Instant> firstAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(first));
          out.add(new Owed(rs.getString("node"), rs.getLong("accrued"), rs.getLong("paid"), rs.getLong("netted"),
              firstAt, Optional.ofNullable(rs.getString("held_reason"))));
        }
      }
      return out;
    });
  }

  public Optional<Owed> of(String node) {
    return all().stream().filter(o -> o.node().equals(node)).findFirst();
  }

  /** Holds payouts to {@code node}, keeping the first reason given. */
  public void hold(String node, String reason) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO fees(node, held_reason) VALUES(?,?)"
          + " ON CONFLICT(node) DO UPDATE SET held_reason=coalesce(held_reason, excluded.held_reason)")) {
        ps.setString(1, node);
        ps.setString(2, reason);
        ps.executeUpdate();
      }
    });
  }

  /** Releases a hold (an operator's decision after looking at the reason). */
  public void release(String node) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE fees SET held_reason=NULL WHERE node=?")) {
        ps.setString(1, node);
        ps.executeUpdate();
      }
    });
  }

  /** A write recording {@code amount} paid to {@code node}; clears the unpaid clock when nothing is due. */
  static PaymentsDb.Write paid(String node, long amount, Instant at) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE fees SET paid=paid+?, first_unpaid_at=CASE WHEN"
          + " accrued-paid-?-netted>0 THEN ? ELSE NULL END WHERE node=?")) {
        ps.setLong(1, amount);
        ps.setLong(2, amount);
        ps.setLong(3, at.toEpochMilli());
        ps.setString(4, node);
        ps.executeUpdate();
      }
    };
  }

  /** A write recording {@code amount} offset by netting with {@code node}. */
  static PaymentsDb.Write netted(String node, long amount) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO fees(node, netted) VALUES(?,?)"
          + " ON CONFLICT(node) DO UPDATE SET netted=netted+excluded.netted")) {
        ps.setString(1, node);
        ps.setLong(2, amount);
        ps.executeUpdate();
      }
    };
  }
}
