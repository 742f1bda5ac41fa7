package io.fedsearch.federation.payments.ledger;

import io.fedsearch.federation.payments.journal.PaymentsDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code submissions} table: every signed blob of an outbox row that went to the server, with its ledger range,
 * until its outcome is known final (what the {@link Submitter} needs to never count a transaction twice nor give
 * one up too early). Every statement over the table is here.
 */
final class Submissions {
  private Submissions() {}

  /** One signed blob of a row that went to the server; {@code outcome} null while not known final. */
  record Submission(String hash, long outboxId, long sequence, long firstLedger, long lastLedger, String outcome) {}

  /**
   * Records, inside the write that marks the row submitted, the blob about to be sent. The same blob sent again (same
   * fee, Sequence and LastLedgerSequence give the same bytes) is in flight again: its outcome is unknown once more.
   */
  static void record(Connection c, long outboxId, String hash, long sequence, long firstLedger, long lastLedger)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO submissions(hash, outbox_id, sequence, first_ledger,"
        + " last_ledger) VALUES(?,?,?,?,?) ON CONFLICT(hash) DO UPDATE SET outcome=NULL,"
        + " first_ledger=min(first_ledger, excluded.first_ledger)")) {
      ps.setString(1, hash.toUpperCase(Locale.ROOT));
      ps.setLong(2, outboxId);
      ps.setLong(3, sequence);
      ps.setLong(4, firstLedger);
      ps.setLong(5, lastLedger);
      ps.executeUpdate();
    }
  }

  static void setOutcome(Connection c, String hash, String outcome) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE submissions SET outcome=? WHERE hash=?")) {
      ps.setString(1, outcome);
      ps.setString(2, hash.toUpperCase(Locale.ROOT));
      ps.executeUpdate();
    }
  }

  /** The submissions of row {@code outboxId} whose outcome is not known yet. */
  static List<Submission> unresolved(PaymentsDb db, long outboxId) {
    return db.read(c -> {
      List<Submission> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT hash, outbox_id, sequence, first_ledger, last_ledger,"
          + " outcome FROM submissions WHERE outbox_id=? AND outcome IS NULL")) {
        ps.setLong(1, outboxId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Submission(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getString(6)));
          }
        }
      }
      return out;
    });
  }

  /**
   * For each of {@code outboxIds}, the hash of its blob that is in a validated ledger (outcome a result code,
   * tesSUCCESS or a tec), where there is one; blobs that never reached a ledger are marked {@code missed} or
   * {@code refused …}. One read for all of them.
   */
  static java.util.Map<Long, String> finalHashes(PaymentsDb db, List<Long> outboxIds) {
    java.util.Map<Long, String> out = new java.util.HashMap<>();
    if (outboxIds.isEmpty()) {
      return out;
    }
    String marks = String.join(",", java.util.Collections.nCopies(outboxIds.size(), "?"));
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT outbox_id, hash FROM submissions WHERE outbox_id IN ("
          + marks + ") AND (outcome='tesSUCCESS' OR outcome LIKE 'tec%')")) {
        for (int i = 0; i < outboxIds.size(); i++) {
          ps.setLong(i + 1, outboxIds.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.putIfAbsent(rs.getLong(1), rs.getString(2));
          }
        }
      }
      return out;
    });
  }
}
