package io.fedsearch.reputation.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.core.sqlite.Migrations;
import io.fedsearch.reputation.model.CreatorObservation;
import io.fedsearch.reputation.model.PlatformEdge;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.SignalObservation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code reputation.db} written by the schema of commit 89ee250 (before versions were kept) opens and upgrades. */
class ReputationStoreMigrationTest {
  /** The DDL {@code ReputationStore.open} ran at 89ee250, verbatim. */
  static final List<String> DDL_89EE250 = List.of(
      "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
      "CREATE TABLE IF NOT EXISTS observation(platform TEXT NOT NULL, epoch INTEGER NOT NULL,"
          + " cid TEXT NOT NULL, noisy_payers REAL NOT NULL, noisy_sum REAL NOT NULL, payer_sd REAL NOT NULL,"
          + " sum_sd REAL NOT NULL, threshold REAL NOT NULL, PRIMARY KEY(platform, epoch, cid)) WITHOUT ROWID",
      "CREATE TABLE IF NOT EXISTS creator_cid(cid TEXT PRIMARY KEY, creator TEXT NOT NULL) WITHOUT ROWID",
      "CREATE TABLE IF NOT EXISTS platform_edge(from_key TEXT NOT NULL, to_key TEXT NOT NULL,"
          + " drops INTEGER NOT NULL, PRIMARY KEY(from_key, to_key)) WITHOUT ROWID",
      "CREATE TABLE IF NOT EXISTS score(creator TEXT PRIMARY KEY, epoch INTEGER NOT NULL,"
          + " score REAL NOT NULL, low REAL NOT NULL, high REAL NOT NULL, evidence REAL NOT NULL) WITHOUT ROWID");

  private static final NodePublicKey A = NodeKey.fromSeed(new byte[32]).publicKey();
  private static final NodePublicKey B = NodeKey.fromSeed(filled((byte) 7)).publicKey();

  @TempDir
  Path dir;

  private static byte[] filled(byte b) {
    byte[] out = new byte[32];
    java.util.Arrays.fill(out, b);
    return out;
  }

  private void writeOldNode() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ReputationStore.FILE));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      for (String ddl : DDL_89EE250) {
        s.execute(ddl);
      }
      s.execute("INSERT INTO meta VALUES ('epoch', '41')");
      s.execute("INSERT INTO observation VALUES ('" + A.hex() + "', 40, 'bafyold', 3.5, 120.0, 1.0, 2.0, 5.0)");
      s.execute("INSERT INTO creator_cid VALUES ('bafyold', 'alice')");
      s.execute("INSERT INTO platform_edge VALUES ('" + A.hex() + "', '" + B.hex() + "', 900)");
      s.execute("INSERT INTO score VALUES ('alice', 40, 0.7, 0.5, 0.9, 3.0)");
    }
  }

  @Test
  void oldNodeUpgradesKeepsItsRowsAndTakesNewOnes() throws Exception {
    writeOldNode();

    try (ReputationStore store = ReputationStore.open(dir)) {
      // old rows read as what they were: per-epoch observations (window = their epoch, one node)
      List<SignalObservation> seen = new ArrayList<>();
      store.forEachObservation(seen::add);
      assertThat(seen).containsExactly(new SignalObservation(A, 40, "bafyold", 3.5, 120.0, 1.0, 2.0, 5.0));
      assertThat(store.epoch()).contains(41L);
      Map<String, String> creators = new TreeMap<>();
      store.forEachCreator(creators::put);
      assertThat(creators).containsEntry("bafyold", "alice");
      assertThat(store.edges()).containsExactly(new PlatformEdge(A, B, 900));
      assertThat(store.storedScore("alice")).contains(new ReputationStore.StoredScore("alice", 40, 0.7, 0.5, 0.9, 3.0));

      // new rows of both units are written beside them
      store.replaceRelease(B, 42, List.of(new SignalObservation(B, 42, "bafynew", 1, 2, 3, 4, 5, 39, 4)));
      store.replaceCreatorRelease(B, 42, List.of(new CreatorObservation(B, 42, "bob", 39, 4, 1, 2, 3, 4, 5)));
    }

    try (ReputationStore store = ReputationStore.open(dir)) { // reopening runs no step again and keeps every row
      List<SignalObservation> seen = new ArrayList<>();
      store.forEachObservation(seen::add);
      assertThat(seen).containsExactly(new SignalObservation(A, 40, "bafyold", 3.5, 120.0, 1.0, 2.0, 5.0),
          new SignalObservation(B, 42, "bafynew", 1, 2, 3, 4, 5, 39, 4));
      List<CreatorObservation> creators = new ArrayList<>();
      store.forEachCreatorObservation(creators::add);
      assertThat(creators).containsExactly(new CreatorObservation(B, 42, "bob", 39, 4, 1, 2, 3, 4, 5));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ReputationStore.FILE))) {
      assertThat(Migrations.version(c)).isEqualTo(ReputationSchema.MIGRATIONS.latest()).isGreaterThan(1);
    }
  }

  @Test
  void nodeWrittenBetweenVersionsUpgradesToo() throws Exception {
    // Code after 89ee250 but before numbered steps added the window columns ad hoc, leaving user_version at 0.
    writeOldNode();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ReputationStore.FILE));
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE observation ADD COLUMN window_start INTEGER");
      s.execute("ALTER TABLE observation ADD COLUMN nodes INTEGER NOT NULL DEFAULT 1");
    }
    try (ReputationStore store = ReputationStore.open(dir)) {
      List<SignalObservation> seen = new ArrayList<>();
      store.forEachObservation(seen::add);
      assertThat(seen).extracting(SignalObservation::cid).containsExactly("bafyold");
    }
  }

  @Test
  void freshNodeHasTheSameColumnsAsAnUpgradedOne() throws Exception {
    Path fresh = dir.resolve("fresh");
    ReputationStore.open(fresh).close();
    writeOldNode();
    ReputationStore.open(dir).close();
    for (String table : List.of("meta", "observation", "creator_observation", "creator_cid", "platform_edge",
        "score")) {
      assertThat(columns(dir, table)).as(table).isEqualTo(columns(fresh, table));
    }
  }

  private static List<String> columns(Path nodeDir, String table) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + nodeDir.resolve(ReputationStore.FILE));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString("name") + " " + rs.getString("type") + " " + rs.getInt("notnull") + " "
            + rs.getString("dflt_value") + " " + rs.getInt("pk"));
      }
      return out;
    }
  }
}
