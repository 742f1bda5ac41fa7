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
import io.fedsearch.federation.payments.wallet.SignedTx;
import org.xrpl.xrpl4j.model.jackson.ObjectMapperFactory;
import org.xrpl.xrpl4j.model.transactions.AccountSet;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelClaim;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelCreate;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelFund;
import org.xrpl.xrpl4j.model.transactions.Transaction;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * Durable outbox of signed ledger transactions (settlement claims, channel creates, top-ups, closes). Each row keeps
 * the unsigned transaction (JSON, so the submitter can re-sign it with a higher fee or a new LastLedgerSequence)
 * and the current signed blob and hash. Sequences are allocated from the {@code account} table inside the same
 * transaction that stores the row, so two rows never share one and none is reserved without its row. Every blob
 * that went to the server is kept in {@code submissions} with its ledger range, so a row is re-signed or given up
 * only once each of its blobs is known never to validate.
 */
public final class Outbox {
  public static final String PENDING = "pending";
  public static final String SUBMITTED = "submitted";
  public static final String VALIDATED = "validated";
  public static final String FAILED = "failed";
  /** Kind of the no-op AccountSet rows that use a Sequence whose own transaction can no longer validate. */
  public static final String NOOP = "noop";

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
  public <T extends Transaction> SignedTx<T> enqueue(Connection c, String kind, String channel,
      LongFunction<T> build) throws SQLException {
    long sequence = allocateSequence(c);
    T unsigned = build.apply(sequence);
    SignedTx<T> signed = key.sign(unsigned);
    insert(c, kind, channel, unsigned, signed);
    return signed;
  }

  /**
   * Our next unused Sequence as stored now: a guess for callers that sign many transactions in parallel before
   * {@link #insertAtNextSequence} takes the Sequences for real, in the write that stores the rows.
   */
  public long peekNextSequence() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT next_sequence FROM account WHERE address=?")) {
        ps.setString(1, key.address().value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getLong(1) : 1L;
        }
      }
    });
  }

  /**
   * Inside a {@link PaymentsDb.Write}: takes our next Sequence and stores the transaction with it as a pending row,
   * in the same database transaction, so a Sequence is never reserved without its row (a crash in between would
   * leave a gap no transaction fills, and every later one would wait on terPRE_SEQ). {@code signed} was signed
   * outside the write with the guessed Sequence {@code guessed}; when another writer took that Sequence first the
   * transaction is built and signed again here.
   */
  public <T extends Transaction> void insertAtNextSequence(Connection c, String kind, String channel,
      LongFunction<T> build, long guessed, SignedTx<T> signed) throws SQLException {
    long sequence = allocateSequence(c);
    if (sequence == guessed) {
      insert(c, kind, channel, build.apply(sequence), signed);
    } else {
      T unsigned = build.apply(sequence);
      insert(c, kind, channel, unsigned, key.sign(unsigned));
    }
  }

  /**
   * Inside a write: a no-op AccountSet at {@code sequence}, so a Sequence whose transaction can no longer validate
   * is used and the rows after it can apply.
   */
  void enqueueNoop(Connection c, long sequence) throws SQLException {
    AccountSet unsigned = AccountSet.builder().account(key.address()).fee(fee())
        .sequence(UnsignedInteger.valueOf(sequence)).signingPublicKey(key.publicKey()).build();
    insert(c, NOOP, null, unsigned, key.sign(unsigned));
  }

  /**
   * Channel → the highest Balance of its claim rows not yet final (pending or submitted): what settlement already
   * has on its way to the ledger.
   */
  public java.util.Map<String, Long> openClaimBalances() {
    return db.read(c -> {
      java.util.Map<String, Long> out = new java.util.HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT channel,"
          + " MAX(CAST(json_extract(tx_json, '$.Balance') AS INTEGER)) FROM outbox"
          + " WHERE kind='claim' AND status IN ('pending','submitted') AND channel IS NOT NULL GROUP BY channel");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
      return out;
    });
  }

  /**
   * A settlement claim of one channel as its payer may see it: the cumulative Balance it settles, the row's state
   * ({@code pending}: signed and queued; {@code submitted}; {@code validated}; {@code failed}), its transaction hash
   * (for a final row, the hash of the blob that reached the ledger) and the ledger's result code once final.
   */
  public record ClaimTx(long balance, String status, String hash, Optional<String> result, Instant updatedAt) {}

  /** The newest {@code limit} claim rows over {@code channel}, newest first. */
  public List<ClaimTx> claimTxs(String channel, int limit) {
    record Row(long id, long balance, String status, String hash, String result, long updatedAt) {}
    List<Row> rows = db.read(c -> {
      List<Row> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT id, CAST(json_extract(tx_json, '$.Balance') AS INTEGER),"
          + " status, hash, result, updated_at FROM outbox WHERE kind='claim' AND channel=? ORDER BY id DESC LIMIT ?")) {
        ps.setString(1, channel);
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6)));
          }
        }
      }
      return out;
    });
    java.util.Map<Long, String> onLedger = Submissions.finalHashes(db, rows.stream()
        .filter(r -> VALIDATED.equals(r.status()) || FAILED.equals(r.status())).map(Row::id).toList());
    List<ClaimTx> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      String hash = onLedger.getOrDefault(r.id(), r.hash());
      out.add(new ClaimTx(r.balance(), r.status(), hash.toUpperCase(Locale.ROOT), Optional.ofNullable(r.result()),
          Instant.ofEpochMilli(r.updatedAt())));
    }
    return out;
  }

  /**
   * Channel → the total Amount of its rows of {@code kind} ("create" or "fund") not yet final (pending or
   * submitted): value on its way to the ledger, which counts only once it validates.
   */
  public java.util.Map<String, Long> openAmounts(String kind) {
    return db.read(c -> {
      java.util.Map<String, Long> out = new java.util.HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT channel,"
          + " SUM(CAST(json_extract(tx_json, '$.Amount') AS INTEGER)) FROM outbox"
          + " WHERE kind=? AND status IN ('pending','submitted') AND channel IS NOT NULL GROUP BY channel")) {
        ps.setString(1, kind);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      return out;
    });
  }

  /** The signed blob of the newest row of {@code kind} for {@code channel} not yet final, if any. */
  public Optional<String> newestOpenBlob(String kind, String channel) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT blob FROM outbox WHERE kind=? AND channel=?"
          + " AND status IN ('pending','submitted') ORDER BY id DESC LIMIT 1")) {
        ps.setString(1, kind);
        ps.setString(2, channel);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  /**
   * A row not yet final (pending or submitted) and what it takes from our account if it validates: {@code drops}
   * put into a channel (a create's or fund's Amount, else 0), plus its fee.
   */
  public record Outflow(long sequence, String kind, long drops) {}

  public List<Outflow> openOutflows() {
    return db.read(c -> {
      List<Outflow> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT sequence, kind, CASE WHEN kind IN ('create','fund')"
          + " THEN CAST(json_extract(tx_json, '$.Amount') AS INTEGER) ELSE 0 END FROM outbox"
          + " WHERE status IN ('pending','submitted')");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Outflow(rs.getLong(1), rs.getString(2), rs.getLong(3)));
        }
      }
      return out;
    });
  }

  /** How many claim rows for {@code channel} at Balance {@code balance} ended failed. */
  public int failedClaims(String channel, long balance) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE kind='claim' AND channel=?"
          + " AND status='failed' AND CAST(json_extract(tx_json, '$.Balance') AS INTEGER)=?")) {
        ps.setString(1, channel);
        ps.setLong(2, balance);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getInt(1) : 0;
        }
      }
    });
  }

  /** Stores an already signed transaction as a pending row (inside a write). */
  public void insert(Connection c, String kind, String channel, Transaction unsigned,
      SignedTx<?> signed) throws SQLException {
    long now = clock.millis();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox(kind, channel, tx_json, blob, hash, status,"
        + " fee, sequence, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, kind);
      ps.setString(2, channel);
      ps.setString(3, toJson(unsigned));
      ps.setString(4, signed.blob());
      ps.setString(5, signed.hash());
      ps.setString(6, PENDING);
      ps.setLong(7, unsigned.fee().value().longValue());
      ps.setLong(8, unsigned.sequence().longValue());
      ps.setLong(9, now);
      ps.setLong(10, now);
      ps.executeUpdate();
    }
  }

  /** Channel → Sequence of its unsubmitted row of {@code kind}. */
  public java.util.Map<String, Long> pendingByChannel(String kind) {
    return db.read(c -> {
      java.util.Map<String, Long> out = new java.util.HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT channel, sequence FROM outbox WHERE kind=? AND status=? AND channel IS NOT NULL")) {
        ps.setString(1, kind);
        ps.setString(2, PENDING);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      return out;
    });
  }

  /** Replaces the unsubmitted row of {@code kind} for {@code channel} with an already signed one (in a write). */
  public void replaceSigned(Connection c, String kind, String channel, Transaction unsigned,
      SignedTx<?> signed) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id FROM outbox WHERE kind=? AND channel=? AND status=? ORDER BY id DESC LIMIT 1")) {
      ps.setString(1, kind);
      ps.setString(2, channel);
      ps.setString(3, PENDING);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          store(c, rs.getLong(1), unsigned, signed, PENDING, null, null, false);
          return;
        }
      }
    }
    insert(c, kind, channel, unsigned, signed);
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

  private void store(Connection c, long id, Transaction unsigned, SignedTx<?> signed, String status,
      Long lastLedger, String result, boolean countAttempt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET tx_json=?, blob=?, hash=?, status=?, fee=?,"
        + " sequence=?, last_ledger=?, result=?, attempts=attempts+?, updated_at=? WHERE id=?")) {
      ps.setString(1, toJson(unsigned));
      ps.setString(2, signed.blob());
      ps.setString(3, signed.hash());
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
    if (tx instanceof AccountSet t) {
      return AccountSet.builder().from(t).fee(f).sequence(seq).lastLedgerSequence(lls).build();
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

  /** How many rows are in each status, and since when the oldest of them waits (created at, ms). */
  public record StatusCount(String status, long count, long oldestCreatedAt) {}

  public List<StatusCount> countsByStatus() {
    return db.read(c -> {
      List<StatusCount> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT status, count(*), min(created_at) FROM outbox GROUP BY status");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new StatusCount(rs.getString(1), rs.getLong(2), rs.getLong(3)));
        }
      }
      return out;
    });
  }

  /** Names the channel a create opened, once its id is known (inside the write that queued the create). */
  public void assignChannel(Connection c, String hash, String channel) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET channel=? WHERE hash=?")) {
      ps.setString(1, channel);
      ps.setString(2, hash);
      ps.executeUpdate();
    }
  }

  /** Every row, oldest first. */
  public List<Entry> list() {
    return db.read(c -> {
      List<Entry> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM outbox ORDER BY id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(entry(rs));
        }
      }
      return out;
    });
  }

  /** Row {@code id}, read on {@code c} (inside a write, so it sees the write's own changes). */
  Entry entry(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM outbox WHERE id=?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no outbox row " + id);
        }
        return entry(rs);
      }
    }
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    long ll = rs.getLong("last_ledger");
    Long lastLedger = rs.wasNull() ? null : ll;
    return new Entry(rs.getLong("id"), rs.getString("kind"), rs.getString("channel"),
        rs.getString("hash").toUpperCase(Locale.ROOT), rs.getString("blob"), rs.getString("status"),
        rs.getInt("attempts"), rs.getLong("fee"), rs.getLong("sequence"), lastLedger, rs.getString("result"),
        Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
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
