package io.fedsearch.federation.payments.payee;

import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.channel.ChannelId;
import io.fedsearch.federation.payments.channel.ChannelTerms;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.ClaimVerifier;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.channel.SignedTransactions;
import io.fedsearch.federation.payments.channel.XrplTime;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.ledger.Ledger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.xrpl.xrpl4j.crypto.keys.PublicKey;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelCreate;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelFund;

/**
 * The payee side of channels: learns channels (from the ledger, or from a signed PaymentChannelCreate in embedded
 * mode), accepts claims and journals each accepted claim durably before acknowledging it. See package docs for
 * the acceptance rules.
 */
public final class PayeeChannels {
  /** An acknowledged claim: durable when this is returned. */
  public record Accepted(String channel, long drops, long increment, Instant at) {}

  /** A snapshot of one channel for listings and settlement. */
  public record View(ChannelTerms terms, String status, String peer, long best, String bestSignature, long settled,
      Instant openedAt, Optional<Instant> lastClaimAt, Optional<Instant> lastSettleAt) {
    public long unsettled() {
      return best - settled;
    }
  }

  private static final class State {
    ChannelTerms terms;
    /** The channel key, decoded once (the key never changes; amount and expiration in {@code terms} may). */
    ClaimVerifier.Bound verifier;
    String status;
    String peer;
    long best;
    String bestSig;
    long reserved;
    long settled;
    Instant openedAt;
    Instant lastClaimAt;
    Instant lastSettleAt;
  }

  private final PaymentsDb db;
  private final String me;
  private final Optional<Ledger> ledger;
  private final PaymentsConfig config;
  private final Clock clock;
  private final ConcurrentHashMap<String, State> channels = new ConcurrentHashMap<>();

  public PayeeChannels(PaymentsDb db, String myAddress, Optional<Ledger> ledger, PaymentsConfig config, Clock clock) {
    this.db = db;
    this.me = myAddress;
    this.ledger = ledger;
    this.config = config;
    this.clock = clock;
    load();
  }

  private void load() {
    db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM channels WHERE role='payee'");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          State s = new State();
          s.terms = ChannelRows.terms(rs);
          s.verifier = ClaimVerifier.bind(s.terms.publicKey());
          s.status = rs.getString("status");
          s.peer = rs.getString("peer");
          s.best = rs.getLong("best_amount");
          s.bestSig = rs.getString("best_signature");
          s.reserved = s.best;
          s.settled = rs.getLong("settled_amount");
          s.openedAt = Instant.ofEpochMilli(rs.getLong("opened_at"));
          s.lastClaimAt = ChannelRows.instant(rs, "last_claim_at");
          s.lastSettleAt = ChannelRows.instant(rs, "last_settle_at");
          channels.put(s.terms.id(), s);
        }
      }
      // The claims table is the durable truth for the best claim (accepting a claim writes only its row there).
      try (PreparedStatement ps = c.prepareStatement("SELECT amount, signature, accepted_at FROM claims"
          + " WHERE channel=? ORDER BY amount DESC LIMIT 1")) {
        for (State s : channels.values()) {
          ps.setString(1, s.terms.id());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getLong(1) > s.best) {
              s.best = rs.getLong(1);
              s.bestSig = rs.getString(2);
              s.reserved = s.best;
              s.lastClaimAt = Instant.ofEpochMilli(rs.getLong(3));
            }
          }
        }
      }
      return null;
    });
  }

  /**
   * Embedded mode: learns a channel from the payer's signed PaymentChannelCreate. Checks the signature (by the
   * source account's own key), that we are the destination, the amount, the settle delay and CancelAfter; the
   * channel is then known but "unconfirmed on ledger". Presenting the same create again is harmless.
   */
  public ChannelTerms learnChannel(String signedCreateBlob, String peer) {
    return learnChannel(signedCreateBlob, peer, true);
  }

  /**
   * As {@link #learnChannel(String, String)} without waiting for the channel row to be durable: it is queued for
   * the next group commit, ahead of any claim on the channel, so a claim acknowledged later is never durable
   * without its channel.
   */
  public ChannelTerms learnChannelAsync(String signedCreateBlob, String peer) {
    return learnChannel(signedCreateBlob, peer, false);
  }

  private ChannelTerms learnChannel(String signedCreateBlob, String peer, boolean waitDurable) {
    PaymentChannelCreate tx = SignedTransactions.decode(signedCreateBlob, PaymentChannelCreate.class);
    SignedTransactions.requireSignedByAccount(tx);
    if (!tx.destination().value().equals(me)) {
      throw new PaymentRejectedException(Rejection.NOT_DESTINATION,
          "channel pays " + tx.destination().value() + ", not this node (" + me + "): open it to " + me);
    }
    long amount = tx.amount().value().longValue();
    if (amount <= 0) {
      throw new PaymentRejectedException(Rejection.MALFORMED, "channel amount must be positive");
    }
    long settleDelay = tx.settleDelay().longValue();
    if (settleDelay < config.minSettleDelay()) {
      throw new PaymentRejectedException(Rejection.MALFORMED, "SettleDelay " + settleDelay
          + " s is shorter than this node's minimum " + config.minSettleDelay() + " s: open with a longer delay");
    }
    Optional<Instant> cancelAfter = tx.cancelAfter().map(u -> XrplTime.toInstant(u.longValue()));
    Instant now = clock.instant();
    if (cancelAfter.isPresent() && !cancelAfter.get().isAfter(now.plus(config.expiryMargin()))) {
      throw new PaymentRejectedException(Rejection.ABOUT_TO_EXPIRE, "CancelAfter " + cancelAfter.get()
          + " leaves less than " + config.expiryMargin() + " to settle: open a channel that lives longer");
    }
    PublicKey channelKey;
    try {
      channelKey = PublicKey.fromBase16EncodedPublicKey(tx.publicKey());
    } catch (RuntimeException e) {
      throw new PaymentRejectedException(Rejection.MALFORMED, "channel PublicKey is not a valid key");
    }
    long sequence = tx.ticketSequence().isPresent()
        ? tx.ticketSequence().get().longValue() : tx.sequence().longValue();
    String id = ChannelId.of(tx.account(), tx.destination(), sequence);
    ChannelTerms terms = new ChannelTerms(id, tx.account().value(), me, channelKey, amount, 0, settleDelay,
        cancelAfter, Optional.empty(), false);
    State existing = channels.get(id);
    if (existing != null) {
      return existing.terms;
    }
    register(terms, "unconfirmed", peer, signedCreateBlob, waitDurable);
    return terms;
  }

  /** Embedded mode: raises a channel's amount from the payer's signed PaymentChannelFund. */
  public ChannelTerms learnFund(String signedFundBlob) {
    PaymentChannelFund tx = SignedTransactions.decode(signedFundBlob, PaymentChannelFund.class);
    SignedTransactions.requireSignedByAccount(tx);
    String id = tx.channel().value().toUpperCase(java.util.Locale.ROOT);
    State s = channels.get(id);
    if (s == null) {
      throw new PaymentRejectedException(Rejection.UNKNOWN_CHANNEL, "fund for a channel this node does not know");
    }
    if (!s.terms.source().equals(tx.account().value())) {
      throw new PaymentRejectedException(Rejection.FORGED, "only the channel's source can fund it");
    }
    long newAmount;
    synchronized (s) {
      newAmount = s.terms.amount() + tx.amount().value().longValue();
      s.terms = s.terms.withAmount(newAmount);
    }
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE channels SET amount=? WHERE id=? AND amount<?")) {
        ps.setLong(1, newAmount);
        ps.setString(2, id);
        ps.setLong(3, newAmount);
        ps.executeUpdate();
      }
    });
    return s.terms;
  }

  private State register(ChannelTerms terms, String status, String peer, String createBlob, boolean waitDurable) {
    Instant now = clock.instant();
    State s;
    CompletableFuture<Void> row;
    synchronized (channels) { // one registration at a time keeps the row queued before the channel is visible
      State existing = channels.get(terms.id());
      if (existing != null) {
        return existing;
      }
      row = db.submit(c -> ChannelRows.insert(c, terms, "payee", status, peer, createBlob, now));
      s = newState(terms, status, peer, now);
      channels.put(terms.id(), s);
    }
    if (waitDurable) {
      join(row);
    }
    return s;
  }


  private static State newState(ChannelTerms terms, String status, String peer, Instant now) {
    State s = new State();
    s.terms = terms;
    s.verifier = ClaimVerifier.bind(terms.publicKey());
    s.status = status;
    s.peer = peer;
    s.openedAt = now;
    return s;
  }

  /** Accepts {@code claim} or throws {@link PaymentRejectedException}; returns once it is durable. */
  public Accepted accept(Claim claim) {
    return join(acceptAsync(claim, 0, null));
  }

  /**
   * Checks {@code claim} and queues it for the journal together with {@code alsoWrite} (e.g. the sale it pays for),
   * in one transaction. The future completes when both are durable. {@code minIncrement}: the claim must add at
   * least this much to the last accepted amount (a purchase's price).
   */
  public CompletableFuture<Accepted> acceptAsync(Claim claim, long minIncrement, PaymentsDb.Write alsoWrite) {
    State s;
    try {
      s = channelFor(claim.channel());
    } catch (PaymentRejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
    ChannelTerms terms;
    if (!s.verifier.verifies(claim)) {
      return CompletableFuture.failedFuture(new PaymentRejectedException(Rejection.FORGED,
          "signature does not verify with the channel's key " + s.terms.publicKey().base16Value()));
    }
    Instant now = clock.instant();
    long previous;
    synchronized (s) {
      terms = s.terms;
      if ("closed".equals(s.status) || "closing".equals(s.status)) {
        return CompletableFuture.failedFuture(new PaymentRejectedException(Rejection.CHANNEL_CLOSED,
            "channel " + claim.channel() + " is " + s.status + ": open a new channel"));
      }
      if (claim.drops() > terms.amount()) {
        return CompletableFuture.failedFuture(new PaymentRejectedException(Rejection.OVER_BALANCE,
            "claim of " + claim.drops() + " drops exceeds the channel's " + terms.amount()
                + " drops: fund the channel (PaymentChannelFund) or open another"));
      }
      previous = Math.max(s.best, s.reserved);
      if (claim.drops() == previous) {
        return CompletableFuture.failedFuture(new PaymentRejectedException(Rejection.REPLAYED,
            "a claim of " + previous + " drops was already accepted: sign a higher cumulative amount"));
      }
      if (claim.drops() < previous) {
        return CompletableFuture.failedFuture(new PaymentRejectedException(Rejection.DECREASING,
            "claim of " + claim.drops() + " drops is below the last accepted " + previous
                + ": claims are cumulative, sign last + price"));
      }
      if (claim.drops() - previous < minIncrement) {
        return CompletableFuture.failedFuture(new PaymentRejectedException(Rejection.UNDERPAID,
            "claim adds " + (claim.drops() - previous) + " drops; the price is " + minIncrement
                + ": sign a cumulative amount of " + (previous + minIncrement)));
      }
      Optional<Instant> expires = terms.expiresAt();
      if (expires.isPresent() && !expires.get().isAfter(now.plus(config.expiryMargin()))) {
        return CompletableFuture.failedFuture(new PaymentRejectedException(Rejection.ABOUT_TO_EXPIRE,
            "channel expires at " + expires.get() + ", within the " + config.expiryMargin()
                + " needed to settle: open a new channel"));
      }
      s.reserved = claim.drops();
    }
    long increment = claim.drops() - previous;
    long at = now.toEpochMilli();
    // One row in the claims table, nothing else: the channel row is not rewritten per claim (the best claim is
    // read back from the claims table on start), so a claim dirties one page of one table per commit.
    CompletableFuture<Void> durable = db.submit(c -> {
      PreparedStatement ps = db.statement(
          "INSERT INTO claims(channel, amount, signature, accepted_at) VALUES(?,?,?,?)");
      ps.setString(1, claim.channel());
      ps.setLong(2, claim.drops());
      ps.setString(3, claim.signature());
      ps.setLong(4, at);
      ps.executeUpdate();
      if (alsoWrite != null) {
        alsoWrite.apply(c);
      }
    });
    return durable.handle((ok, err) -> {
      synchronized (s) {
        if (err == null) {
          if (claim.drops() > s.best) {
            s.best = claim.drops();
            s.bestSig = claim.signature();
            s.lastClaimAt = now;
          }
        } else if (s.reserved == claim.drops()) {
          s.reserved = s.best;
        }
      }
      if (err != null) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof PaymentRejectedException p) {
          throw p;
        }
        throw new PaymentRejectedException(Rejection.JOURNAL_FAILED,
            "the claim could not be stored (" + cause.getMessage() + "); it was not accepted: send it again");
      }
      return new Accepted(claim.channel(), claim.drops(), increment, now);
    });
  }

  private State channelFor(String id) {
    State s = channels.get(id);
    if (s != null) {
      return s;
    }
    if (ledger.isPresent()) {
      Optional<ChannelTerms> onLedger = ledger.get().channel(id);
      if (onLedger.isPresent()) {
        if (!onLedger.get().destination().equals(me)) {
          throw new PaymentRejectedException(Rejection.NOT_DESTINATION,
              "channel " + id + " pays " + onLedger.get().destination() + ", not this node (" + me + ")");
        }
        return register(onLedger.get(), "open", null, null, true);
      }
      throw new PaymentRejectedException(Rejection.UNKNOWN_CHANNEL,
          "channel " + id + " is not on the validated ledger: wait for the create to validate, then retry");
    }
    throw new PaymentRejectedException(Rejection.UNKNOWN_CHANNEL,
        "channel " + id + " is unknown here: present its signed PaymentChannelCreate first");
  }

  /** Refreshes amount, balance and expiration of every channel from the ledger (no-op in embedded mode). */
  public int refreshFromLedger() {
    if (ledger.isEmpty()) {
      return 0;
    }
    int n = 0;
    for (State s : channels.values()) {
      Optional<ChannelTerms> t = ledger.get().channel(s.terms.id());
      String status;
      ChannelTerms updated;
      synchronized (s) {
        if (t.isEmpty()) {
          if (!s.terms.confirmed()) {
            continue;
          }
          s.status = "closed";
        } else {
          s.terms = s.terms.withLedger(t.get().amount(), t.get().balance(), t.get().expiration());
          if ("unconfirmed".equals(s.status)) {
            s.status = "open";
          }
        }
        status = s.status;
        updated = s.terms;
      }
      db.write(c -> ChannelRows.updateLedger(c, updated, status));
      n++;
    }
    return n;
  }

  /** Called by settlement in its own write: the outbox claim now covers {@code amount}. */
  public void markSettled(String id, long amount, Instant at) {
    State s = channels.get(id);
    synchronized (s) {
      s.settled = Math.max(s.settled, amount);
      s.lastSettleAt = at;
    }
  }

  public List<View> channels() {
    List<View> out = new ArrayList<>();
    for (State s : channels.values()) {
      synchronized (s) {
        out.add(view(s));
      }
    }
    out.sort(Comparator.comparing(v -> v.terms().id()));
    return out;
  }

  public Optional<View> channel(String id) {
    State s = channels.get(id);
    if (s == null) {
      return Optional.empty();
    }
    synchronized (s) {
      return Optional.of(view(s));
    }
  }

  private static View view(State s) {
    return new View(s.terms, s.status, s.peer, s.best, s.bestSig, s.settled, s.openedAt,
        Optional.ofNullable(s.lastClaimAt), Optional.ofNullable(s.lastSettleAt));
  }

  public String address() {
    return me;
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** Reads every accepted claim of a channel, oldest first (audits, crash tests). */
  public List<Claim> journal(String channelId) {
    return db.read(c -> {
      List<Claim> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT amount, signature FROM claims WHERE channel=? ORDER BY amount")) {
        ps.setString(1, channelId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Claim(channelId, rs.getLong(1), rs.getString(2)));
          }
        }
      }
      return out;
    });
  }

}
