package io.fedsearch.federation.payments.payee;

import io.fedsearch.federation.payments.journal.ClaimRows;
import io.fedsearch.federation.payments.journal.ChannelRows;
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
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.xrpl.xrpl4j.crypto.keys.PublicKey;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelCreate;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelFund;

/**
 * The payee side of channels: learns channels, accepts claims and journals each accepted claim durably before
 * acknowledging it. See package docs for the acceptance rules.
 *
 * <p>With a ledger, a channel counts only once the validated ledger has it, and every term (source, destination,
 * key, amount, settle delay, CancelAfter, Expiration) is the ledger's, read again on every refresh: a signed create
 * a buyer presents only names the channel, so a never-funded channel, or a second create with the same Sequence
 * and other terms, is worth nothing here. In embedded mode (no ledger) a channel learned from a signed create is
 * "unconfirmed" and provisional: its claims are accepted only within the exposure caps of
 * {@link ProvisionalExposure}. Every way of learning a channel applies the same {@link TermsPolicy}.
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

  private final PaymentsDb db;
  private final String me;
  private final Optional<Ledger> ledger;
  private final PaymentsConfig config;
  private final Clock clock;
  private final ConcurrentHashMap<String, PayeeChannel> channels = new ConcurrentHashMap<>();
  private final TermsPolicy policy;
  /** Writes what the ledger says of a channel, checked against the terms policy. */
  private final PayeeLedgerSync.Follow follow;
  /** With a ledger: reads channels from it. */
  private final Optional<PayeeLedgerSync> sync;
  private final ProvisionalExposure provisional;
  private final ChannelFunds funds;
  /** Embedded mode: unconfirmed channels registered without a claim yet, oldest first (may hold used ones). */
  private final ConcurrentLinkedQueue<String> idleProvisional = new ConcurrentLinkedQueue<>();
  private final AtomicInteger idleProvisionalCount = new AtomicInteger();

  /** Status of a channel whose current terms this node does not accept: no new claims, accepted ones settle. */
  public static final String REFUSED = "refused";

  public PayeeChannels(PaymentsDb db, String myAddress, Optional<Ledger> ledger, PaymentsConfig config, Clock clock) {
    this.db = db;
    this.me = myAddress;
    this.ledger = ledger;
    this.config = config;
    this.clock = clock;
    this.policy = new TermsPolicy(myAddress, config);
    this.follow = new PayeeLedgerSync.Follow(db, policy, clock);
    this.sync = ledger.map(l -> new PayeeLedgerSync(l, follow));
    this.provisional = new ProvisionalExposure(config.provisionalChannelCapDrops(), config.provisionalPayerCapDrops());
    this.funds = new ChannelFunds(db);
    load();
  }

  private void load() {
    channels.putAll(PayeeChannel.loadAll(db));
    Instant now = clock.instant();
    for (PayeeChannel s : channels.values()) {
      if (REFUSED.equals(s.status)) {
        s.refusal = policy.refusal(s.terms, now).orElse(null);
      }
      if (!s.terms.confirmed()) {
        provisional.load(s.terms.source(), s.reserved);
        if (s.best == 0 && ledger.isEmpty()) {
          idleProvisional.add(s.terms.id());
          idleProvisionalCount.incrementAndGet();
        }
      }
    }
    forgetIdleProvisional();
  }

  /**
   * Learns a channel from the payer's signed PaymentChannelCreate: checks the signature (by the source account's
   * own key) and that we are the destination. With a ledger the create only names the channel: it is taken, with
   * the ledger's terms, once the validated ledger has it, and refused until then. In embedded mode the create's
   * terms are checked against this node's {@link TermsPolicy} and the channel is known as "unconfirmed on ledger"
   * (provisional). Presenting the same create again is harmless; a different create naming the same channel (same
   * account, destination and Sequence) never replaces the terms already known.
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
    long sequence = tx.ticketSequence().isPresent()
        ? tx.ticketSequence().get().longValue() : tx.sequence().longValue();
    String id = ChannelId.of(tx.account(), tx.destination(), sequence);
    PayeeChannel existing = channels.get(id);
    if (existing != null) {
      synchronized (existing) {
        return existing.terms;
      }
    }
    if (ledger.isPresent()) {
      return channelFor(id).terms; // the ledger's terms, or refused until the create validates
    }
    PublicKey channelKey;
    try {
      channelKey = PublicKey.fromBase16EncodedPublicKey(tx.publicKey());
    } catch (RuntimeException e) {
      throw new PaymentRejectedException(Rejection.MALFORMED, "channel PublicKey is not a valid key");
    }
    ChannelTerms terms = new ChannelTerms(id, tx.account().value(), me, channelKey, tx.amount().value().longValue(),
        0, tx.settleDelay().longValue(), tx.cancelAfter().map(u -> XrplTime.toInstant(u.longValue())),
        Optional.empty(), false);
    policy.check(terms, clock.instant());
    PayeeChannel s = register(terms, "unconfirmed", peer, signedCreateBlob, waitDurable);
    synchronized (s) {
      return s.terms;
    }
  }

  /**
   * A payer's signed PaymentChannelFund for a channel we know. With a ledger the blob is only a hint: the channel's
   * amount is read again from the ledger. In embedded mode its amount is added once per transaction (by hash), so
   * presenting the same fund again adds nothing.
   */
  public ChannelTerms learnFund(String signedFundBlob) {
    PaymentChannelFund tx = SignedTransactions.decode(signedFundBlob, PaymentChannelFund.class);
    SignedTransactions.requireSignedByAccount(tx);
    String id = tx.channel().value().toUpperCase(java.util.Locale.ROOT);
    PayeeChannel s = channels.get(id);
    if (s == null) {
      throw new PaymentRejectedException(Rejection.UNKNOWN_CHANNEL, "fund for a channel this node does not know");
    }
    synchronized (s) {
      if (!s.terms.source().equals(tx.account().value())) {
        throw new PaymentRejectedException(Rejection.FORGED, "only the channel's source can fund it");
      }
    }
    if (ledger.isPresent()) {
      refresh(s, ledgerChannel(id));
    } else {
      long added = tx.amount().value().longValue();
      if (added <= 0) {
        throw new PaymentRejectedException(Rejection.MALFORMED, "fund amount must be positive");
      }
      if (funds.applyOnce(SignedTransactions.hash(signedFundBlob), id, added, clock.instant())) {
        synchronized (s) {
          s.terms = s.terms.withAmount(s.terms.amount() + added);
        }
      }
    }
    synchronized (s) {
      return s.terms;
    }
  }

  private PayeeChannel register(ChannelTerms terms, String status, String peer, String createBlob, boolean waitDurable) {
    Instant now = clock.instant();
    PayeeChannel s;
    CompletableFuture<Void> row;
    synchronized (channels) { // one registration at a time keeps the row queued before the channel is visible
      PayeeChannel existing = channels.get(terms.id());
      if (existing != null) {
        return existing;
      }
      row = db.submit(c -> ChannelRows.insert(c, terms, "payee", status, peer, createBlob, now));
      s = PayeeChannel.fresh(terms, status, peer, now);
      channels.put(terms.id(), s);
    }
    if (!terms.confirmed() && ledger.isEmpty()) {
      idleProvisional.add(terms.id());
      if (idleProvisionalCount.incrementAndGet() > config.maxIdleProvisionalChannels()) {
        forgetIdleProvisional();
      }
    }
    if (waitDurable) {
      join(row);
    }
    return s;
  }

  /**
   * Keeps at most {@code maxIdleProvisionalChannels} unconfirmed channels that never carried a claim: the oldest
   * beyond are dropped from memory and the table (they hold nothing; their payer can present the create again).
   */
  private void forgetIdleProvisional() {
    while (idleProvisionalCount.get() > config.maxIdleProvisionalChannels()) {
      String id = idleProvisional.poll();
      if (id == null) {
        return;
      }
      idleProvisionalCount.decrementAndGet();
      PayeeChannel s = channels.get(id);
      if (s == null) {
        continue;
      }
      synchronized (s) {
        if (s.best != 0 || s.reserved != 0) {
          continue; // it carries claims now: no longer idle
        }
        s.evicted = true;
        channels.remove(id, s);
      }
      db.submit(c -> {
        PreparedStatement ps = db.statement(ChannelRows.DELETE_IDLE_PROVISIONAL);
        ps.setString(1, id);
        ps.setString(2, id);
        ps.executeUpdate();
      });
    }
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
    PayeeChannel s;
    try {
      s = channelFor(claim.channel());
    } catch (PaymentRejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
    ChannelTerms terms;
    ClaimVerifier.Bound verifier = s.verifier;
    if (!verifier.verifies(claim)) {
      return CompletableFuture.failedFuture(new PaymentRejectedException(Rejection.FORGED,
          "signature does not verify with the channel's key " + s.terms.publicKey().base16Value()));
    }
    Instant now = clock.instant();
    rereadOnShortfall(s, claim, now);
    long previous;
    boolean provisionalClaim;
    synchronized (s) {
      terms = s.terms;
      if (s.evicted) {
        return CompletableFuture.failedFuture(new PaymentRejectedException(Rejection.UNKNOWN_CHANNEL,
            "channel " + claim.channel() + " was forgotten here (unconfirmed, and idle too long):"
                + " present its signed PaymentChannelCreate again"));
      }
      if (s.verifier != verifier) { // the ledger named another key meanwhile: check against that one
        return CompletableFuture.failedFuture(new PaymentRejectedException(Rejection.FORGED,
            "the channel's key changed on the ledger while the claim was checked: sign with "
                + terms.publicKey().base16Value()));
      }
      if (REFUSED.equals(s.status) && s.refusal != null) {
        return CompletableFuture.failedFuture(s.refusal);
      }
      if (ledger.isPresent() && !terms.confirmed()) {
        return CompletableFuture.failedFuture(new PaymentRejectedException(Rejection.UNKNOWN_CHANNEL,
            "channel " + claim.channel() + " is not on the validated ledger: wait for its create to validate,"
                + " then retry"));
      }
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
      provisionalClaim = !terms.confirmed();
      if (provisionalClaim) {
        try {
          provisional.reserve(claim.channel(), terms.source(), claim.drops(), claim.drops() - previous);
        } catch (PaymentRejectedException e) {
          return CompletableFuture.failedFuture(e);
        }
      }
      s.reserved = claim.drops();
    }
    long increment = claim.drops() - previous;
    long at = now.toEpochMilli();
    // One row in the claims table, nothing else: the channel row is not rewritten per claim (the best claim is
    // read back from the claims table on start), so a claim dirties one page of one table per commit.
    CompletableFuture<Void> durable = db.submit(c -> {
      PreparedStatement ps = db.statement(
          ClaimRows.INSERT);
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
      if (err != null && provisionalClaim) {
        provisional.release(terms.source(), increment);
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

  private PayeeChannel channelFor(String id) {
    PayeeChannel s = channels.get(id);
    if (s != null) {
      boolean unconfirmed;
      synchronized (s) {
        unconfirmed = !s.terms.confirmed();
      }
      if (ledger.isPresent() && unconfirmed) {
        refresh(s, ledgerChannel(id)); // known before the ledger was configured: confirm it now or refuse
      }
      return s;
    }
    if (ledger.isPresent()) {
      Optional<ChannelTerms> onLedger = ledgerChannel(id);
      if (onLedger.isPresent()) {
        policy.check(onLedger.get(), clock.instant());
        return register(onLedger.get(), "open", null, null, true);
      }
      throw new PaymentRejectedException(Rejection.UNKNOWN_CHANNEL,
          "channel " + id + " is not on the validated ledger: wait for the create to validate, then retry");
    }
    throw new PaymentRejectedException(Rejection.UNKNOWN_CHANNEL,
        "channel " + id + " is unknown here: present its signed PaymentChannelCreate first");
  }

  private Optional<ChannelTerms> ledgerChannel(String id) {
    return sync.orElseThrow().channel(id);
  }

  private boolean refresh(PayeeChannel s, Optional<ChannelTerms> onLedger) {
    return follow.refresh(s, onLedger);
  }

  private void rereadOnShortfall(PayeeChannel s, Claim claim, Instant now) {
    sync.ifPresent(l -> l.rereadOnShortfall(s, claim, now));
  }

  /** Re-reads every channel's terms from the validated ledger and checks them again (no-op in embedded mode). */
  public int refreshFromLedger() {
    return sync.map(l -> l.refreshAll(channels.values())).orElse(0);
  }

  /**
   * Whether {@code claim} is a payment this node would take now from a payer who has put money in: it verifies
   * with its channel's key, the channel is live and confirmed on the ledger (or, in embedded mode, already carries
   * accepted claims), and it adds to what was accepted. Anomaly evidence counts only such claims.
   */
  public boolean vouches(Claim claim) {
    PayeeChannel s = channels.get(claim.channel());
    if (s == null) {
      return false;
    }
    ClaimVerifier.Bound verifier;
    synchronized (s) {
      boolean live = "open".equals(s.status) || "unconfirmed".equals(s.status);
      boolean funded = ledger.isPresent() ? s.terms.confirmed() : s.best > 0;
      if (!live || !funded || claim.drops() <= Math.max(s.best, s.reserved) || claim.drops() > s.terms.amount()) {
        return false;
      }
      verifier = s.verifier;
    }
    return verifier.verifies(claim);
  }

  /** Called by settlement in its own write: the outbox claim now covers {@code amount}. */
  public void markSettled(String id, long amount, Instant at) {
    PayeeChannel s = channels.get(id);
    synchronized (s) {
      s.settled = Math.max(s.settled, amount);
      s.lastSettleAt = at;
    }
  }

  public List<View> channels() {
    List<View> out = new ArrayList<>();
    for (PayeeChannel s : channels.values()) {
      synchronized (s) {
        out.add(s.view());
      }
    }
    out.sort(Comparator.comparing(v -> v.terms().id()));
    return out;
  }

  public Optional<View> channel(String id) {
    PayeeChannel s = channels.get(id);
    if (s == null) {
      return Optional.empty();
    }
    synchronized (s) {
      return Optional.of(s.view());
    }
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
    return PayeeChannel.journal(db, channelId);
  }
}
