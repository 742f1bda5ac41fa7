package io.fedsearch.federation.payments;

import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.payee.PayeeChannels;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.sqlite.Migrations;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * A {@code payments.db} written by the schema of commit 89ee250 (before versions were kept) opens, upgrades, keeps
 * its channels, claims and holds, and takes new claims and holds.
 */
class PaymentsDbMigrationTest {
  /** Nodes owed fees in the old journal (the fees table names nodes by their key hex, as every node writes it). */
  private static final NodePublicKey OLD_NODE = NodeKey.fromSeed(new byte[32]).publicKey();
  private static final NodePublicKey NEW_NODE = NodeKey.generate().publicKey();

  /** The DDL {@code PaymentsDb.open} ran at 89ee250 (journal/Schema.DDL), verbatim. */
  static final List<String> DDL_89EE250 = List.of(
      // Channels we pay into (role 'payer') or are paid through (role 'payee'). best_* is the cumulative amount we
      // authorised (payer); a payee's best claim is the highest row of `claims` for the channel (best_* stays as
      // written at creation: rewriting the channel row per accepted claim doubled the pages each claim dirtied).
      // settled_amount is what an outbox claim covers.
      """
      CREATE TABLE IF NOT EXISTS channels(
        id TEXT PRIMARY KEY, role TEXT NOT NULL, source TEXT NOT NULL, destination TEXT NOT NULL,
        public_key TEXT NOT NULL, amount INTEGER NOT NULL, balance INTEGER NOT NULL DEFAULT 0,
        settle_delay INTEGER NOT NULL, cancel_after INTEGER, expiration INTEGER, confirmed INTEGER NOT NULL,
        status TEXT NOT NULL, create_blob TEXT, peer TEXT,
        best_amount INTEGER NOT NULL DEFAULT 0, best_signature TEXT, settled_amount INTEGER NOT NULL DEFAULT 0,
        opened_at INTEGER NOT NULL, last_claim_at INTEGER, last_settle_at INTEGER)""",
      // Every accepted claim, journaled before it is acknowledged.
      """
      CREATE TABLE IF NOT EXISTS claims(
        channel TEXT NOT NULL, amount INTEGER NOT NULL, signature TEXT NOT NULL, accepted_at INTEGER NOT NULL,
        PRIMARY KEY(channel, amount)) WITHOUT ROWID""",
      """
      CREATE TABLE IF NOT EXISTS outbox(
        id INTEGER PRIMARY KEY, kind TEXT NOT NULL, channel TEXT, tx_json TEXT NOT NULL, blob TEXT NOT NULL,
        hash TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, fee INTEGER NOT NULL,
        sequence INTEGER NOT NULL, last_ledger INTEGER, result TEXT, created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL)""",
      "CREATE TABLE IF NOT EXISTS account(address TEXT PRIMARY KEY, next_sequence INTEGER NOT NULL)",
      """
      CREATE TABLE IF NOT EXISTS sales(
        id INTEGER PRIMARY KEY, cid TEXT NOT NULL, price INTEGER NOT NULL, channel TEXT NOT NULL,
        claim_amount INTEGER NOT NULL, token_id TEXT NOT NULL, serving_node TEXT NOT NULL, payer TEXT NOT NULL,
        token_issued INTEGER NOT NULL, fee INTEGER NOT NULL, at INTEGER NOT NULL)""",
      "CREATE TABLE IF NOT EXISTS token_uses(token_id TEXT PRIMARY KEY, uses INTEGER NOT NULL)",
      """
      CREATE TABLE IF NOT EXISTS fees(
        node TEXT PRIMARY KEY, accrued INTEGER NOT NULL DEFAULT 0, paid INTEGER NOT NULL DEFAULT 0,
        netted INTEGER NOT NULL DEFAULT 0, first_unpaid_at INTEGER, held_reason TEXT)""",
      """
      CREATE TABLE IF NOT EXISTS payouts(
        id INTEGER PRIMARY KEY, node TEXT NOT NULL, channel TEXT NOT NULL, cumulative INTEGER NOT NULL,
        amount INTEGER NOT NULL, at INTEGER NOT NULL, ack TEXT NOT NULL)""",
      """
      CREATE TABLE IF NOT EXISTS netting(
        id INTEGER PRIMARY KEY, peer TEXT NOT NULL, we_owed INTEGER NOT NULL, they_owed INTEGER NOT NULL,
        offset_amount INTEGER NOT NULL, statement TEXT NOT NULL, at INTEGER NOT NULL)""",
      // A netting this node confirmed whose acknowledgement has not come back yet: the peer may have recorded it.
      // Kept until the confirm is answered (sent again before any new netting with that peer).
      """
      CREATE TABLE IF NOT EXISTS netting_pending(
        peer TEXT PRIMARY KEY, we_owed INTEGER NOT NULL, they_owed INTEGER NOT NULL, offset_amount INTEGER NOT NULL,
        nonce TEXT NOT NULL, confirm TEXT NOT NULL, at INTEGER NOT NULL)""");

  @TempDir
  Path dir;

  private final XrplAccountKey payer = XrplAccountKey.generate(KeyType.ED25519);
  private final XrplAccountKey payee = XrplAccountKey.generate(KeyType.ED25519);
  private final String channel = HexFormat.of().withUpperCase().formatHex(new byte[32]).replace('0', 'A');

  private void writeOldNode() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(PaymentsDb.FILE));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      for (String ddl : DDL_89EE250) {
        s.execute(ddl);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO channels(id, role, source, destination, public_key,"
          + " amount, settle_delay, confirmed, status, peer, opened_at) VALUES (?, 'payee', ?, ?, ?, 1000000, 86400,"
          + " 0, 'open', 'peer-1', 1000)")) {
        ps.setString(1, channel);
        ps.setString(2, payer.address().value());
        ps.setString(3, payee.address().value());
        ps.setString(4, payer.publicKey().base16Value());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO claims VALUES (?, 5000, ?, 2000)")) {
        ps.setString(1, channel);
        ps.setString(2, payer.signClaim(channel, 5000));
        ps.executeUpdate();
      }
      s.execute("INSERT INTO fees(node, accrued, held_reason) VALUES ('" + OLD_NODE.hex() + "', 700, 'token replays')");
      s.execute("INSERT INTO token_uses VALUES ('old-token', 2)");
    }
  }

  @Test
  void oldNodeUpgradesKeepsItsRowsAndTakesNewOnes() throws Exception {
    writeOldNode();
    Clock clock = Clock.systemUTC();

    try (PaymentsDb db = PaymentsDb.open(dir)) {
      PayeeChannels channels = new PayeeChannels(db, payee.address().value(), Optional.empty(),
          PaymentsConfig.defaults(), clock);
      assertThat(channels.channel(channel)).hasValueSatisfying(v -> {
        assertThat(v.best()).isEqualTo(5000);
        assertThat(v.peer()).isEqualTo("peer-1");
      });
      // a new claim on the old channel is journaled beside the old one
      channels.accept(new Claim(channel, 8000, payer.signClaim(channel, 8000)));
      assertThat(channels.journal(channel)).extracting(Claim::drops).containsExactly(5000L, 8000L);

      // a hold placed before holds could lapse now lapses; new holds are written with their time
      FeeBook fees = new FeeBook(db, clock, Duration.ofDays(3));
      assertThat(fees.of(OLD_NODE)).hasValueSatisfying(o -> {
        assertThat(o.accrued()).isEqualTo(700);
        assertThat(o.heldReason()).contains("token replays");
        assertThat(o.holdLapsesAt()).isPresent();
      });
      fees.hold(NEW_NODE, "implausible referrals");
      assertThat(fees.of(NEW_NODE).flatMap(FeeBook.Owed::holdLapsesAt)).isPresent();

      // tables the old schema lacked are there: a fund applies once by hash
      assertThat(channels.channel(channel).map(v -> v.terms().amount())).contains(1_000_000L);
      assertThat(scalar(db, "SELECT count(*) FROM channel_funds")).isZero();
      assertThat(scalar(db, "SELECT count(*) FROM submissions")).isZero();
      assertThat(scalar(db, "SELECT count(*) FROM token_uses WHERE expires IS NULL")).isEqualTo(1);
    }

    try (PaymentsDb db = PaymentsDb.open(dir)) { // reopening runs no step again and keeps every row
      PayeeChannels channels = new PayeeChannels(db, payee.address().value(), Optional.empty(),
          PaymentsConfig.defaults(), clock);
      assertThat(channels.channel(channel).map(PayeeChannels.View::best)).contains(8000L);
      assertThat(scalar(db, "PRAGMA user_version")).isEqualTo(5);
    }
  }

  @Test
  void nodeWrittenBetweenVersionsUpgradesToo() throws Exception {
    // Code after 89ee250 but before numbered steps created step 2's tables and columns ad hoc (user_version 0).
    writeOldNode();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(PaymentsDb.FILE));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE channel_funds(hash TEXT PRIMARY KEY, channel TEXT NOT NULL,"
          + " amount INTEGER NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID");
      s.execute("ALTER TABLE token_uses ADD COLUMN expires INTEGER");
      s.execute("ALTER TABLE fees ADD COLUMN held_at INTEGER");
      s.execute("UPDATE fees SET held_at = 1234");
    }
    try (PaymentsDb db = PaymentsDb.open(dir)) {
      assertThat(scalar(db, "PRAGMA user_version")).isEqualTo(5);
      // the column was there: its values are kept, not backfilled again
      assertThat(scalar(db, "SELECT held_at FROM fees WHERE node = '" + OLD_NODE.hex() + "'")).isEqualTo(1234);
    }
  }

  @Test
  void aHubsUserChannelsLoseThePeerTagThatMadeThemLookLikeFeeChannels() throws Exception {
    PaymentsDb.open(dir).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(PaymentsDb.FILE));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 4"); // as a session-10 hub left it
      for (String[] row : new String[][] {{"A1", "hub-user"}, {"B2", OLD_NODE.hex()}}) {
        s.execute("INSERT INTO channels(id, role, source, destination, public_key, amount, settle_delay, confirmed,"
            + " status, peer, opened_at) VALUES('" + row[0] + "', 'payee', 'rSource', 'rDest', 'ED00', 1000, 3600, 0,"
            + " 'open', '" + row[1] + "', 0)");
      }
    }
    try (PaymentsDb db = PaymentsDb.open(dir)) {
      assertThat(scalar(db, "PRAGMA user_version")).isEqualTo(5);
      assertThat(scalar(db, "SELECT count(*) FROM channels WHERE peer IS NULL AND id = 'A1'")).isEqualTo(1);
      assertThat(scalar(db, "SELECT count(*) FROM channels WHERE peer IS NOT NULL AND id = 'B2'"))
          .as("a platform's fee channel keeps its peer").isEqualTo(1);
    }
  }

  @Test
  void freshNodeHasTheSameColumnsAsAnUpgradedOne() throws Exception {
    Path fresh = dir.resolve("fresh");
    PaymentsDb.open(fresh).close();
    writeOldNode();
    PaymentsDb.open(dir).close();
    assertThat(schema(dir)).isEqualTo(schema(fresh));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + fresh.resolve(PaymentsDb.FILE))) {
      assertThat(Migrations.version(c)).isEqualTo(5);
    }
  }

  private static long scalar(PaymentsDb db, String sql) {
    return db.<Long>read(c -> count(c, sql));
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /** Every table's columns (name, type, not null, default, key) and every index, by name. */
  private static List<String> schema(Path nodeDir) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + nodeDir.resolve(PaymentsDb.FILE));
        Statement s = c.createStatement()) {
      List<String[]> objects = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT type, name FROM sqlite_master ORDER BY type, name")) {
        while (rs.next()) {
          objects.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      for (String[] o : objects) {
        out.add(o[0] + " " + o[1]);
        if (o[0].equals("table")) {
          try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + o[1] + ")")) {
            while (rs.next()) {
              out.add("  " + rs.getString("name") + " " + rs.getString("type") + " " + rs.getInt("notnull") + " "
                  + rs.getString("dflt_value") + " " + rs.getInt("pk"));
            }
          }
        }
      }
    }
    return out;
  }
}
