package io.fedsearch.privacy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.privacy.accounting.BudgetLedger;
import io.fedsearch.privacy.accounting.LedgerEntry;
import io.fedsearch.privacy.accounting.Spend;
import io.fedsearch.privacy.release.Mechanism;
import io.fedsearch.privacy.release.Unit;
import io.fedsearch.core.sqlite.Migrations;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code privacy.db} written by the schema of commit 89ee250 (before versions were kept) opens and upgrades. */
class PrivacyDbMigrationTest {
  /** The DDL {@code PrivacyDb.open} ran at 89ee250, verbatim. */
  static final List<String> DDL_89EE250 = List.of("""
      CREATE TABLE IF NOT EXISTS payment_events (
        id INTEGER PRIMARY KEY,
        epoch_seconds INTEGER NOT NULL,
        epoch INTEGER NOT NULL,
        ciphertext BLOB NOT NULL)""",
      "CREATE INDEX IF NOT EXISTS payment_events_epoch ON payment_events(epoch_seconds, epoch)",
      """
      CREATE TABLE IF NOT EXISTS budget_ledger (
        seq INTEGER PRIMARY KEY,
        epoch INTEGER NOT NULL,
        mechanism TEXT NOT NULL,
        epsilon TEXT NOT NULL,
        delta TEXT NOT NULL,
        rho TEXT NOT NULL,
        selection_delta TEXT NOT NULL,
        spent_at INTEGER NOT NULL,
        note TEXT NOT NULL)""",
      """
      CREATE TABLE IF NOT EXISTS signal_releases (
        node_key TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        own INTEGER NOT NULL,
        wire BLOB NOT NULL,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (node_key, epoch))""");

  @TempDir
  Path dir;

  private void writeOldNode() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(PrivacyDb.FILE));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      for (String ddl : DDL_89EE250) {
        s.execute(ddl);
      }
      s.execute("INSERT INTO budget_ledger(epoch, mechanism, epsilon, delta, rho, selection_delta, spent_at, note)"
          + " VALUES (7, 'laplace', '0.5', '0', '0', '0.000001', 1000, 'old release')");
      s.execute("INSERT INTO signal_releases VALUES ('ab', 7, 1, x'a1', 2000)");
      s.execute("INSERT INTO payment_events(epoch_seconds, epoch, ciphertext) VALUES (60, 7, x'00')");
    }
  }

  @Test
  void oldNodeUpgradesKeepsItsRowsAndTakesNewOnes() throws Exception {
    writeOldNode();

    try (PrivacyDb db = PrivacyDb.open(dir)) {
      assertThat(Migrations.version(db.connection())).isEqualTo(PrivacySchema.MIGRATIONS.latest()).isGreaterThan(1);
      BudgetLedger ledger = new BudgetLedger(db);
      // the old row reads as what it was: a CID release of its own epoch
      assertThat(ledger.spends()).containsExactly(new Spend(7, Mechanism.LAPLACE, new BigDecimal("0.5"),
          BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("0.000001")));
      synchronized (db) {
        ledger.appendUncommitted(new Spend(9, Mechanism.GAUSSIAN, new BigDecimal("1"), new BigDecimal("0.0001"),
            new BigDecimal("0.02"), BigDecimal.ZERO, Unit.CID, 8, 2), Instant.ofEpochMilli(3000), "new release");
        db.connection().commit();
      }
      assertThat(db.longs("SELECT format FROM signal_releases WHERE epoch = ?", 7)).containsExactly(1L);
      assertThat(db.longs("SELECT count(*) FROM signal_nodes WHERE start >= ?", 0)).containsExactly(0L);
      assertThat(db.longs("SELECT epoch FROM payment_events WHERE epoch_seconds = ?", 60)).containsExactly(7L);
    }

    try (PrivacyDb db = PrivacyDb.open(dir)) { // reopening runs no step again and keeps both rows
      List<LedgerEntry> entries = new BudgetLedger(db).entries();
      assertThat(entries).extracting(LedgerEntry::note).containsExactly("old release", "new release");
      assertThat(entries.get(1).spend().nodeStart()).isEqualTo(8);
      assertThat(entries.get(1).spend().nodeLength()).isEqualTo(2);
    }
  }

  @Test
  void nodeWrittenBetweenVersionsUpgradesToo() throws Exception {
    // Code after 89ee250 but before numbered steps added step 2's columns ad hoc, leaving user_version at 0.
    writeOldNode();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(PrivacyDb.FILE));
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE budget_ledger ADD COLUMN unit TEXT NOT NULL DEFAULT 'cids'");
      s.execute("ALTER TABLE signal_releases ADD COLUMN format INTEGER NOT NULL DEFAULT 1");
    }
    try (PrivacyDb db = PrivacyDb.open(dir)) {
      assertThat(Migrations.version(db.connection())).isEqualTo(PrivacySchema.MIGRATIONS.latest());
      assertThat(new BudgetLedger(db).entries()).extracting(LedgerEntry::note).containsExactly("old release");
    }
  }

  @Test
  void freshNodeHasTheSameColumnsAsAnUpgradedOne() throws Exception {
    Path fresh = dir.resolve("fresh");
    PrivacyDb.open(fresh).close();
    writeOldNode();
    PrivacyDb.open(dir).close();
    for (String table : List.of("payment_events", "budget_ledger", "signal_releases", "signal_nodes")) {
      assertThat(columns(dir, table)).as(table).isEqualTo(columns(fresh, table));
    }
  }

  static List<String> columns(Path nodeDir, String table) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + nodeDir.resolve(PrivacyDb.FILE));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      List<String> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString("name") + " " + rs.getString("type") + " " + rs.getInt("notnull") + " "
            + rs.getString("dflt_value") + " " + rs.getInt("pk"));
      }
      return out;
    }
  }
}
