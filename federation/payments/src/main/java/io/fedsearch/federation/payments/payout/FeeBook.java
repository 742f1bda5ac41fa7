package io.fedsearch.federation.payments.payout;

import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Discovery fees this platform owes each serving node (by its {@link NodePublicKey}; hex in the table): accrued from sales, paid through
 * payout claims, offset by netting. A node can be held (payouts stop) with a reason. A hold the anomaly detector
 * placed lapses after {@code holdExpiry} unless an operator confirms it ({@link #confirmHold}): a finding that
 * nobody looks at must not freeze a node's fees for ever.
 */
public final class FeeBook {
  /**
   * What is owed to one node. {@code heldReason}: why payouts are held, while the hold is in force;
   * {@code holdLapsesAt}: when an unconfirmed hold lapses (empty when not held or confirmed by an operator).
   */
  public record Owed(NodePublicKey node, long accrued, long paid, long netted, Optional<Instant> firstUnpaidAt,
      Optional<String> heldReason, Optional<Instant> holdLapsesAt) {
    public long due() {
      return accrued - paid - netted;
    }
  }

  private final PaymentsDb db;
  private final Clock clock;
  private final Duration holdExpiry;

  public FeeBook(PaymentsDb db, Clock clock, Duration holdExpiry) {
    this.db = db;
    this.clock = clock;
    this.holdExpiry = holdExpiry;
  }

  /** A write adding {@code fee} to what {@code node} is owed (part of the sale's transaction). */
  public static PaymentsDb.Write accrue(NodePublicKey node, long fee, Instant at) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO fees(node, accrued, first_unpaid_at) VALUES(?,?,?)"
          + " ON CONFLICT(node) DO UPDATE SET accrued=accrued+excluded.accrued,"
          + " first_unpaid_at=coalesce(first_unpaid_at, excluded.first_unpaid_at)")) {
        ps.setString(1, node.hex());
        ps.setLong(2, fee);
        ps.setLong(3, at.toEpochMilli());
        ps.executeUpdate();
      }
    };
  }

  public List<Owed> all() {
    Instant now = clock.instant();
    return db.read(c -> {
      List<Owed> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM fees ORDER BY node");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long first = rs.getLong("first_unpaid_at");
          Optional<Instant> firstAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(first));
          Optional<String> reason = Optional.ofNullable(rs.getString("held_reason"));
          Optional<Instant> lapses = Optional.empty();
          if (reason.isPresent() && rs.getInt("hold_confirmed") == 0) {
            Instant at = Instant.ofEpochMilli(rs.getLong("held_at"));
            lapses = Optional.of(at.plus(holdExpiry));
            if (!lapses.get().isAfter(now)) {
              reason = Optional.empty();
              lapses = Optional.empty();
            }
          }
          out.add(new Owed(NodePublicKey.fromHex(rs.getString("node")), rs.getLong("accrued"), rs.getLong("paid"), rs.getLong("netted"),
              firstAt, reason, lapses));
        }
      }
      return out;
    });
  }

  public Optional<Owed> of(NodePublicKey node) {
    return all().stream().filter(o -> o.node().equals(node)).findFirst();
  }

  /**
   * Holds payouts to {@code node} for {@code holdExpiry}, keeping the first reason given while a hold is in force;
   * a new finding after a hold lapsed starts a new one.
   */
  public void hold(NodePublicKey node, String reason) {
    long now = clock.millis();
    long lapsedBefore = now - holdExpiry.toMillis();
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO fees(node, held_reason, held_at) VALUES(?,?,?)"
          + " ON CONFLICT(node) DO UPDATE SET"
          + " held_at=CASE WHEN held_reason IS NULL OR (hold_confirmed=0 AND held_at<=?) THEN excluded.held_at"
          + " ELSE held_at END,"
          + " held_reason=CASE WHEN held_reason IS NULL OR (hold_confirmed=0 AND held_at<=?)"
          + " THEN excluded.held_reason ELSE held_reason END")) {
        ps.setString(1, node.hex());
        ps.setString(2, reason);
        ps.setLong(3, now);
        ps.setLong(4, lapsedBefore);
        ps.setLong(5, lapsedBefore);
        ps.executeUpdate();
      }
    });
  }

  /**
   * An operator looked at the hold on {@code node} and keeps it: it no longer lapses. Returns false when the node
   * has no hold in force to confirm.
   */
  public boolean confirmHold(NodePublicKey node) {
    long lapsedBefore = clock.millis() - holdExpiry.toMillis();
    int[] n = new int[1];
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE fees SET hold_confirmed=1 WHERE node=?"
          + " AND held_reason IS NOT NULL AND (hold_confirmed=1 OR held_at>?)")) {
        ps.setString(1, node.hex());
        ps.setLong(2, lapsedBefore);
        n[0] = ps.executeUpdate();
      }
    });
    return n[0] == 1;
  }

  /** Releases a hold (an operator's decision after looking at the reason). */
  public void release(NodePublicKey node) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE fees SET held_reason=NULL, held_at=NULL, hold_confirmed=0 WHERE node=?")) {
        ps.setString(1, node.hex());
        ps.executeUpdate();
      }
    });
  }

  /** A write recording {@code amount} paid to {@code node}; clears the unpaid clock when nothing is due. */
  static PaymentsDb.Write paid(NodePublicKey node, long amount, Instant at) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE fees SET paid=paid+?, first_unpaid_at=CASE WHEN"
          + " accrued-paid-?-netted>0 THEN ? ELSE NULL END WHERE node=?")) {
        ps.setLong(1, amount);
        ps.setLong(2, amount);
        ps.setLong(3, at.toEpochMilli());
        ps.setString(4, node.hex());
        ps.executeUpdate();
      }
    };
  }

  /** A write recording {@code amount} offset by netting with {@code node} (negative: an offset given back). */
  public static PaymentsDb.Write netted(NodePublicKey node, long amount) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO fees(node, netted) VALUES(?,?)"
          + " ON CONFLICT(node) DO UPDATE SET netted=netted+excluded.netted")) {
        ps.setString(1, node.hex());
        ps.setLong(2, amount);
        ps.executeUpdate();
      }
    };
  }
}
