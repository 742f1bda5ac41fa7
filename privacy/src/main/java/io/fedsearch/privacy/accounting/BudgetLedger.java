package io.fedsearch.privacy.accounting;

import io.fedsearch.privacy.release.Mechanism;
import io.fedsearch.privacy.release.Unit;
import io.fedsearch.privacy.store.PrivacyDb;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable budget ledger ({@code budget_ledger} in {@code privacy.db}): one row per unit per release, written in
 * the same transaction as the release it pays for, so budget is never spent without a record nor a release stored without
 * its spend. Rows are never updated or deleted.
 */
public final class BudgetLedger {
  private final PrivacyDb db;

  public BudgetLedger(PrivacyDb db) {
    this.db = db;
  }

  /** All entries, oldest first. */
  public List<LedgerEntry> entries() {
    db.lock().lock();
    try {
      try (PreparedStatement ps = db.connection().prepareStatement(
          "SELECT seq, epoch, mechanism, epsilon, delta, rho, selection_delta, spent_at, note, unit, node_start,"
              + " node_length FROM budget_ledger ORDER BY seq");
          ResultSet rs = ps.executeQuery()) {
        List<LedgerEntry> out = new ArrayList<>();
        while (rs.next()) {
          long epoch = rs.getLong(2);
          long nodeStart = rs.getLong(11);
          Spend s = new Spend(epoch, Mechanism.parse(rs.getString(3)), new BigDecimal(rs.getString(4)),
              new BigDecimal(rs.getString(5)), new BigDecimal(rs.getString(6)), new BigDecimal(rs.getString(7)),
              Unit.parse(rs.getString(10)), nodeStart < 0 ? epoch : nodeStart, rs.getLong(12));
          out.add(new LedgerEntry(rs.getLong(1), s, Instant.ofEpochMilli(rs.getLong(8)), rs.getString(9)));
        }
        db.connection().commit();
        return out;
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read the budget ledger in " + db.file() + ": " + e.getMessage(), e);
      }
    } finally {
      db.lock().unlock();
    }
  }

  public List<Spend> spends() {
    return entries().stream().map(LedgerEntry::spend).toList();
  }

  /** Inserts within the caller's transaction (caller holds the db lock and commits). */
  public void appendUncommitted(Spend s, Instant at, String note) throws SQLException {
    Connection c = db.connection();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO budget_ledger(epoch, mechanism, epsilon, delta, rho, selection_delta, spent_at, note, unit,"
            + " node_start, node_length) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setLong(1, s.epoch());
      ps.setString(2, s.mechanism().wireName());
      ps.setString(3, s.epsilon().toPlainString());
      ps.setString(4, s.delta().toPlainString());
      ps.setString(5, s.rho().toPlainString());
      ps.setString(6, s.selectionDelta().toPlainString());
      ps.setLong(7, at.toEpochMilli());
      ps.setString(8, note);
      ps.setString(9, s.unit().wireName());
      ps.setLong(10, s.nodeStart());
      ps.setLong(11, s.nodeLength());
      ps.executeUpdate();
    }
  }
}
