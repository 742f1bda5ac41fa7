package io.fedsearch.federation.payments.journal;

import io.fedsearch.core.sqlite.Migrations;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Tables of {@code payments.db}, as numbered steps ({@link Migrations}): step 1 is the schema nodes wrote before
 * versions were kept; a step, once released, is never edited: a change is a new step. Every table of the database is
 * created here, including those only one class reads or writes. Amounts are XRP drops; times are epoch milliseconds
 * unless named otherwise.
 */
final class Schema {
  private Schema() {}

  /** Step 1's tables. */
  private static final List<String> V1 = List.of(
      // Channels we pay into (role 'payer') or are paid through (role 'payee'). best_* is the cumulative amount we
      // authorised (payer); a payee's best claim is the highest row of `claims` for the channel (best_* stays as
      // written at creation: rewriting the channel row per accepted claim doubled the pages each claim dirtied).
      // settled_amount: with a ledger, the channel's Balance on the validated ledger; without one, what the outbox
      // claim covers.
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

  static final Migrations MIGRATIONS = new Migrations(PaymentsDb.FILE, List.of(
      s -> execute(s, V1),
      // 2: ledger-confirmed payments. Submissions of outbox rows; PaymentChannelFunds applied once by hash (embedded
      // mode); token uses expire with their token; anomaly holds lapse unless an operator confirms them.
      Schema::step2,
      // 3: hubs. A sale's receipt may name its holder; a hub journals the purchases it forwards.
      Schema::step3,
      // 4: multilateral netting (payments.netting.CycleJournal): one row per debt cycle this node signed or
      // coordinated, with the statement, the full signature set once there is one, and the state.
      Schema::step4,
      // 5: a hub learned its users' channels tagged peer 'hub-user' (session 10), and a payee channel with a peer is
      // one a platform opened to pay us discovery fees: the economics report counted users' payments as fees earned.
      // Users' channels now carry no peer; rows written before lose the tag.
      s -> s.execute("UPDATE channels SET peer = NULL WHERE role = 'payee' AND peer = 'hub-user'")));

  private static void step2(Statement s) throws SQLException {
    // Every signed blob of an outbox row that went to the server, with the ledger range it can validate in. A row
    // is given up or re-signed only once every one of its submissions is known final (validated, or not in any
    // ledger up to its LastLedgerSequence); outcome is NULL while that is not known.
    s.execute("""
        CREATE TABLE IF NOT EXISTS submissions(
          hash TEXT PRIMARY KEY, outbox_id INTEGER NOT NULL, sequence INTEGER NOT NULL, first_ledger INTEGER NOT NULL,
          last_ledger INTEGER NOT NULL, outcome TEXT)""");
    s.execute("CREATE INDEX IF NOT EXISTS submissions_row ON submissions(outbox_id)");
    // Embedded mode's PaymentChannelFunds applied to channels paid to us, by transaction hash (see ChannelFunds).
    s.execute("CREATE TABLE IF NOT EXISTS channel_funds(hash TEXT PRIMARY KEY, channel TEXT NOT NULL,"
        + " amount INTEGER NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID");
    // Rows from before expiry was kept have none: never pruned by time (kept as they were).
    Migrations.addColumn(s, "token_uses", "expires", "INTEGER");
    if (Migrations.addColumn(s, "fees", "held_at", "INTEGER")) {
      // holds placed before holds could lapse: their time to lapse counts from the upgrade
      s.execute("UPDATE fees SET held_at=" + System.currentTimeMillis() + " WHERE held_reason IS NOT NULL");
    }
    Migrations.addColumn(s, "fees", "hold_confirmed", "INTEGER NOT NULL DEFAULT 0");
  }

  private static void step3(Statement s) throws SQLException {
    // The buyer's receipt key a receipt names (hex Ed25519), kept so a claim presented again gets the same receipt.
    Migrations.addColumn(s, "sales", "holder", "TEXT");
    // A hub counts what a user's channel paid for directly (the hub node's own listings) as consumed; the same
    // index finds the sale a claim paid for when it is presented again.
    s.execute("CREATE INDEX IF NOT EXISTS sales_channel ON sales(channel, claim_amount)");
    // A purchase a hub forwards, journaled (with the user's claim that pays for it) before the platform is paid.
    // status: pending until decided, then delivered (receipt) or credited (credit note); a hub that restarts decides
    // every pending row before it answers. cost = price + fee. platform_*: the hub's claim over its own channel to
    // the platform, journaled before it is sent, so it is sent again (not a new one) after a crash. answer: the
    // signed statement (JSON) given to the user.
    s.execute("""
        CREATE TABLE IF NOT EXISTS hub_requests(
          request_id TEXT PRIMARY KEY, channel TEXT NOT NULL, cid TEXT NOT NULL, platform TEXT NOT NULL,
          price INTEGER NOT NULL, fee INTEGER NOT NULL, token TEXT NOT NULL, receipt_key TEXT NOT NULL,
          status TEXT NOT NULL, platform_channel TEXT, platform_claim INTEGER, platform_signature TEXT,
          receipt TEXT, answer TEXT, reason_code TEXT, reason_message TEXT, created_at INTEGER NOT NULL,
          decided_at INTEGER)""");
    s.execute("CREATE INDEX IF NOT EXISTS hub_requests_channel ON hub_requests(channel, status)");
  }

  private static void step4(Statement s) throws SQLException {
    // creditor: whom this node owes in the cycle (its pledge reduced that debt); debtor: who owes this node.
    // state: party signed|recorded|aborted; coordinator collecting|committed|done|aborting|aborted. acked: parties
    // (hex, comma-separated) that answered the coordinator's commit or abort.
    s.execute("""
        CREATE TABLE IF NOT EXISTS netting_cycles(
          nonce TEXT PRIMARY KEY, role TEXT NOT NULL, state TEXT NOT NULL, coordinator TEXT NOT NULL,
          creditor TEXT NOT NULL, debtor TEXT NOT NULL, amount INTEGER NOT NULL, parties INTEGER NOT NULL,
          statement TEXT NOT NULL, signatures TEXT, acked TEXT NOT NULL DEFAULT '', at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL)""");
  }

  private static void execute(Statement s, List<String> ddl) throws SQLException {
    for (String sql : ddl) {
      s.execute(sql);
    }
  }
}
