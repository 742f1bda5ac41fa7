package io.fedsearch.federation.payments.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.primitives.UnsignedInteger;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongFunction;
import org.xrpl.xrpl4j.crypto.signing.SingleSignedTransaction;
import org.xrpl.xrpl4j.model.jackson.ObjectMapperFactory;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelClaim;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelCreate;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelFund;
import org.xrpl.xrpl4j.model.transactions.Transaction;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * Durable outbox of signed ledger transactions (settlement claims, channel creates, top-ups, closes). Each row keeps
 * the unsigned transaction (JSON, so the submitter can re-sign it with a higher fee or a new LastLedgerSequence)
 * and the current signed blob and hash. Sequences are allocated from the {@code account} table inside the same
 * transaction that stores the row, so two rows never share one.
 */
public final class Outbox {
  public static final String PENDING = "pending";
  public static final String SUBMITTED = "submitted";
  public static final String VALIDATED = "validated";
  public static final String FAILED = "failed";

  /** One outbox row. {@code lastLedger} is null until the submitter set a LastLedgerSequence. */
  public record Entry(long id, String kind, String channel, String hash, String blob, String status, int attempts,
      long fee, long sequence, Long lastLedger, String result, Instant createdAt, Instant updatedAt) {}

  private static final ObjectMapper MAPPER = ObjectMapperFactory.create();
  private final PaymentsDb db;
  private final XrplAccountKey key;
  private final PaymentsConfig config;
  private final Clock clock;

  public Outbox(PaymentsDb db, XrplAccountKey key, PaymentsConfig config, Clock clock) {
    this.db = db;
    this.key = key;
    this.config = config;
    this.clock = clock;
  }

  public XrplAccountKey key() {
    return key;
  }

  /**
   * Inside a {@link PaymentsDb.Write}: allocates our next Sequence, builds the transaction with it (the builder
   * must set Account, Fee {@link #fee()}, Sequence and SigningPubKey from {@link #key()}), signs and stores it.
   */
  public <T extends Transaction> SingleSignedTransaction<T> enqueue(Connection c, String kind, String channel,
      LongFunction<T> build) throws SQLException {
    long sequence = allocateSequence(c);
    T unsigned = build.apply(sequence);
    SingleSignedTransaction<T> signed = key.sign(unsigned);
    long now = clock.millis();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox(kind, channel, tx_json, blob, hash, status,"
        + " fee, sequence, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, kind);
      ps.setString(2, channel);
      ps.setString(3, toJson(unsigned));
      ps.setString(4, signed.signedTransactionBytes().hexValue());
      ps.setString(5, signed.hash().value());
      ps.setString(6, PENDING);
      ps.setLong(7, unsigned.fee().value().longValue());
      ps.setLong(8, sequence);
      ps.setLong(9, now);
      ps.setLong(10, now);
      ps.executeUpdate();
    }
    return signed;
  }

  /**
   * Inside a write: replaces the unsubmitted settlement claim of {@code channel}, if any, with a newer one at the
   * same Sequence (only the best claim of a channel needs to reach the ledger). Returns false when there is none.
   */
  public boolean replacePending(Connection c, String kind, String channel, LongFunction<Transaction> build)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, sequence FROM outbox WHERE kind=? AND channel=? AND status=? ORDER BY id DESC LIMIT 1")) {
      ps.setString(1, kind);
      ps.setString(2, channel);
      ps.setString(3, PENDING);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        long id = rs.getLong(1);
        Transaction unsigned = build.apply(rs.getLong(2));
        store(c, id, unsigned, key.sign(unsigned), PENDING, null, null, false);
        return true;
      }
    }
  }

  /** Raises the next local Sequence to the ledger's when the ledger is ahead (another wallet used the account). */
  public void syncSequence(long ledgerNext) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO account(address, next_sequence) VALUES(?,?)"
          + " ON CONFLICT(address) DO UPDATE SET next_sequence=max(next_sequence, excluded.next_sequence)")) {
        ps.setString(1, key.address().value());
        ps.setLong(2, ledgerNext);
        ps.executeUpdate();
      }
    });
  }

  long allocateSequence(Connection c) throws SQLException {
    try (PreparedStatement ins = c.prepareStatement(
        "INSERT OR IGNORE INTO account(address, next_sequence) VALUES(?, 1)")) {
      ins.setString(1, key.address().value());
      ins.executeUpdate();
    }
    long seq;
    try (PreparedStatement ps = c.prepareStatement("SELECT next_sequence FROM account WHERE address=?")) {
      ps.setString(1, key.address().value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        seq = rs.getLong(1);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE account SET next_sequence=? WHERE address=?")) {
      ps.setLong(1, seq + 1);
      ps.setString(2, key.address().value());
      ps.executeUpdate();
    }
    return seq;
  }

  /** The fee new transactions are signed with; the submitter raises it. */
  public XrpCurrencyAmount fee() {
    return XrpCurrencyAmount.ofDrops(config.feeDrops());
  }

  /** Re-signs row {@code id} with new submission fields and stores it (inside a write). */
  void resign(Connection c, Entry e, long fee, long sequence, Long lastLedger, String status, String result)
      throws SQLException {
    Transaction unsigned = withSubmitFields(unsignedOf(c, e.id()), fee, sequence, lastLedger);
    store(c, e.id(), unsigned, key.sign(unsigned), status, lastLedger, result, SUBMITTED.equals(status));
  }

  void setStatus(Connection c, long id, String status, String result) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET status=?, result=?, updated_at=? WHERE id=?")) {
      ps.setString(1, status);
      ps.setString(2, result);
      ps.setLong(3, clock.millis());
      ps.setLong(4, id);
      ps.executeUpdate();
    }
  }

  private void store(Connection c, long id, Transaction unsigned, SingleSignedTransaction<?> signed, String status,
      Long lastLedger, String result, boolean countAttempt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET tx_json=?, blob=?, hash=?, status=?, fee=?,"
        + " sequence=?, last_ledger=?, result=?, attempts=attempts+?, updated_at=? WHERE id=?")) {
      ps.setString(1, toJson(unsigned));
      ps.setString(2, signed.signedTransactionBytes().hexValue());
      ps.setString(3, signed.hash().value());
      ps.setString(4, status);
      ps.setLong(5, unsigned.fee().value().longValue());
      ps.setLong(6, unsigned.sequence().longValue());
      if (lastLedger == null) {
        ps.setNull(7, Types.INTEGER);
      } else {
        ps.setLong(7, lastLedger);
      }
      ps.setString(8, result);
      ps.setInt(9, countAttempt ? 1 : 0);
      ps.setLong(10, clock.millis());
      ps.setLong(11, id);
      ps.executeUpdate();
    }
  }

  private Transaction unsignedOf(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT tx_json FROM outbox WHERE id=?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no outbox row " + id);
        }
        return MAPPER.readValue(rs.getString(1), Transaction.class);
      }
    } catch (JsonProcessingException e) {
      throw new SQLException("outbox row " + id + " holds an unreadable transaction", e);
    }
  }

  static Transaction withSubmitFields(Transaction tx, long fee, long sequence, Long lastLedger) {
    XrpCurrencyAmount f = XrpCurrencyAmount.ofDrops(fee);
    UnsignedInteger seq = UnsignedInteger.valueOf(sequence);
    Optional<UnsignedInteger> lls = Optional.ofNullable(lastLedger).map(UnsignedInteger::valueOf);
    if (tx instanceof PaymentChannelClaim t) {
      return PaymentChannelClaim.builder().from(t).fee(f).sequence(seq).lastLedgerSequence(lls).build();
    }
    if (tx instanceof PaymentChannelFund t) {
      return PaymentChannelFund.builder().from(t).fee(f).sequence(seq).lastLedgerSequence(lls).build();
    }
    if (tx instanceof PaymentChannelCreate t) {
      return PaymentChannelCreate.builder().from(t).fee(f).sequence(seq).lastLedgerSequence(lls).build();
    }
    throw new IllegalArgumentException("outbox cannot re-sign a " + tx.getClass().getSimpleName());
  }

  private static String toJson(Transaction tx) throws SQLException {
    try {
      return MAPPER.writeValueAsString(tx);
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot serialise transaction", e);
    }
  }

  public List<Entry> list() {
    return db.read(c -> {
      List<Entry> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM outbox ORDER BY id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long ll = rs.getLong("last_ledger");
          Long lastLedger = rs.wasNull() ? null : ll;
          out.add(new Entry(rs.getLong("id"), rs.getString("kind"), rs.getString("channel"),
              rs.getString("hash").toUpperCase(Locale.ROOT), rs.getString("blob"), rs.getString("status"),
              rs.getInt("attempts"), rs.getLong("fee"), rs.getLong("sequence"), lastLedger, rs.getString("result"),
              Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at"))));
        }
      }
      return out;
    });
  }

  /** Rows not yet final (pending or submitted). */
  public List<Entry> open() {
    return list().stream().filter(e -> PENDING.equals(e.status()) || SUBMITTED.equals(e.status())).toList();
  }

  PaymentsDb db() {
    return db;
  }

  Instant now() {
    return clock.instant();
  }
}
