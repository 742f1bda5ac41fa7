package io.fedsearch.federation.payments.payee;

import io.fedsearch.federation.payments.journal.ClaimRows;
import io.fedsearch.federation.payments.journal.ChannelRows;
import com.google.common.primitives.UnsignedInteger;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.ledger.Outbox;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import io.fedsearch.federation.payments.wallet.SignedTx;
import org.xrpl.xrpl4j.model.transactions.Hash256;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelClaim;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * Turns the best claim of a channel into a PaymentChannelClaim in the outbox when its unsettled value reaches the
 * threshold, when the channel expires within {@code settleBeforeExpiry}, or when {@code settlePeriod} has passed
 * since the last settlement (or the channel opened) — whichever comes first. A claim still waiting unsubmitted in
 * the outbox is replaced in place by the better one, so a channel never has two unsubmitted settlement claims.
 *
 * <p>With a ledger, a channel counts as settled only as far as its Balance on the validated ledger: a queued or
 * submitted claim only keeps settlement from queuing the same value again while it is on its way. A claim that
 * fails (tec) or is given up (expired) stops covering anything, so the value is queued again on the next run, at
 * most {@code maxSubmitAttempts} times for the same amount. The claim queued is the highest accepted one that fits
 * the channel's amount as the node knows it (from the ledger, with one), so a claim above what the channel holds
 * never blocks the value below it. Without a ledger nothing can validate: settled is what the outbox claim covers.
 *
 * <p>New rows take their Sequences in the same database transaction that stores them
 * ({@link Outbox#insertAtNextSequence}); the signatures are made beforehand, in parallel, with the Sequences that
 * will most likely be theirs, and made again in the write only if another writer took them first.
 */
public final class Settlement {
  /** One settlement decision: the channel, the amount now covered, and why. */
  public record Settled(String channel, long balance, String why) {}

  private record Due(PayeeChannels.View view, long amount, String signature, long onLedger, Long pendingSequence) {}

  private final PayeeChannels payee;
  private final Outbox outbox;
  private final PaymentsDb db;
  private final PaymentsConfig config;
  private final Clock clock;
  private final boolean ledgerConfirms;

  /** Follows the ledger when {@code config} names a rippled URL. */
  public Settlement(PayeeChannels payee, Outbox outbox, PaymentsDb db, PaymentsConfig config, Clock clock) {
    this(payee, outbox, db, config, clock, config.rippledUrl().isPresent());
  }

  /** {@code ledgerConfirms}: a ledger is configured, so settled follows each channel's validated Balance. */
  public Settlement(PayeeChannels payee, Outbox outbox, PaymentsDb db, PaymentsConfig config, Clock clock,
      boolean ledgerConfirms) {
    this.payee = payee;
    this.outbox = outbox;
    this.db = db;
    this.config = config;
    this.clock = clock;
    this.ledgerConfirms = ledgerConfirms;
  }

  /** Settles every channel that is due now. */
  public List<Settled> run() {
    return run(false);
  }

  /** With {@code force}, settles every channel with unsettled value (shutdown, bench end, operator request). */
  public List<Settled> run(boolean force) {
    Instant now = clock.instant();
    Map<String, Long> onTheWay = outbox.openClaimBalances();
    List<Due> due = new ArrayList<>();
    List<PayeeChannels.View> validatedMore = new ArrayList<>();
    List<Settled> out = new ArrayList<>();
    for (PayeeChannels.View v : payee.channels()) {
      long onLedger = v.terms().balance();
      if (ledgerConfirms && onLedger > v.settled()) {
        validatedMore.add(v);
      }
      if (v.bestSignature() == null || "closed".equals(v.status())) {
        continue;
      }
      long covered = Math.max(ledgerConfirms ? onLedger : v.settled(), onTheWay.getOrDefault(v.terms().id(), 0L));
      long[] amount = {v.best()};
      String[] signature = {v.bestSignature()};
      if (amount[0] > v.terms().amount() && !highestThatFits(v, amount, signature)) {
        continue;
      }
      if (amount[0] <= covered) {
        continue;
      }
      Optional<String> why = force ? Optional.of("requested") : due(v, amount[0] - covered, now);
      if (why.isEmpty()) {
        continue;
      }
      if (ledgerConfirms && outbox.failedClaims(v.terms().id(), amount[0]) >= config.maxSubmitAttempts()) {
        continue; // this claim failed on the ledger again and again: an operator has to look (outbox, channels)
      }
      due.add(new Due(v, amount[0], signature[0], onLedger, null));
      out.add(new Settled(v.terms().id(), amount[0], why.get()));
    }
    if (due.isEmpty()) {
      followLedger(validatedMore);
      return out;
    }
    // A channel's unsubmitted claim keeps its Sequence; new claims take theirs in the write that stores them, and are
    // signed beforehand (in parallel, outside the journal's commit thread) with the Sequences they will most likely
    // get. The rows and channel updates then go in one durable write.
    Map<String, Long> pending = outbox.pendingByChannel("claim");
    long guess = outbox.peekNextSequence();
    List<Due> sequenced = new ArrayList<>();
    for (Due d : due) {
      Long p = pending.get(d.view().terms().id());
      sequenced.add(new Due(d.view(), d.amount(), d.signature(), d.onLedger(), p != null ? p : guess++));
    }
    List<SignedTx<PaymentChannelClaim>> signed = IntStream.range(0, sequenced.size()).parallel()
        .mapToObj(i -> outbox.key().sign(claimTx(sequenced.get(i), sequenced.get(i).pendingSequence()))).toList();
    db.write(c -> {
      for (int i = 0; i < sequenced.size(); i++) {
        Due d = sequenced.get(i);
        String id = d.view().terms().id();
        if (pending.containsKey(id)) {
          outbox.replaceSigned(c, "claim", id, claimTx(d, d.pendingSequence()), signed.get(i));
        } else {
          outbox.insertAtNextSequence(c, "claim", id, seq -> claimTx(d, seq), d.pendingSequence(), signed.get(i));
        }
        try (PreparedStatement ps = c.prepareStatement(
            ChannelRows.RAISE_SETTLED_AT)) {
          ps.setLong(1, ledgerConfirms ? d.onLedger() : d.amount());
          ps.setLong(2, now.toEpochMilli());
          ps.setString(3, id);
          ps.executeUpdate();
        }
      }
    });
    for (Due d : sequenced) {
      payee.markSettled(d.view().terms().id(), ledgerConfirms ? d.onLedger() : d.amount(), now);
    }
    Set<String> queued = new HashSet<>();
    sequenced.forEach(d -> queued.add(d.view().terms().id()));
    followLedger(validatedMore.stream().filter(v -> !queued.contains(v.terms().id())).toList());
    return out;
  }

  /** Settled follows the validated Balance of channels whose Balance grew (without touching when we last queued). */
  private void followLedger(List<PayeeChannels.View> grew) {
    if (grew.isEmpty()) {
      return;
    }
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          ChannelRows.RAISE_SETTLED)) {
        for (PayeeChannels.View v : grew) {
          ps.setLong(1, v.terms().balance());
          ps.setString(2, v.terms().id());
          ps.executeUpdate();
        }
      }
    });
    for (PayeeChannels.View v : grew) {
      payee.markSettled(v.terms().id(), v.terms().balance(), v.lastSettleAt().orElse(null));
    }
  }

  /**
   * The best claim is above what the channel holds (it was accepted against an amount the ledger does not confirm):
   * the highest journaled claim that fits goes instead. False when none does.
   */
  private boolean highestThatFits(PayeeChannels.View v, long[] amount, String[] signature) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(ClaimRows.HIGHEST_UP_TO)) {
        ps.setString(1, v.terms().id());
        ps.setLong(2, v.terms().amount());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
          amount[0] = rs.getLong(1);
          signature[0] = rs.getString(2);
          return true;
        }
      }
    });
  }

  Optional<String> due(PayeeChannels.View v, long unsettled, Instant now) {
    if (unsettled >= config.settleThreshold()) {
      return Optional.of("unsettled " + unsettled + " drops >= threshold " + config.settleThreshold());
    }
    Optional<Instant> exp = v.terms().expiresAt();
    if (exp.isPresent() && !exp.get().isAfter(now.plus(config.settleBeforeExpiry()))) {
      return Optional.of("channel expires at " + exp.get());
    }
    Instant since = v.lastSettleAt().orElse(v.openedAt());
    if (!Duration.between(since, now).minus(config.settlePeriod()).isNegative()) {
      return Optional.of("settlement period " + config.settlePeriod() + " passed");
    }
    return Optional.empty();
  }

  private PaymentChannelClaim claimTx(Due d, long sequence) {
    return PaymentChannelClaim.builder()
        .account(outbox.key().address())
        .fee(outbox.fee())
        .sequence(UnsignedInteger.valueOf(sequence))
        .signingPublicKey(outbox.key().publicKey())
        .channel(Hash256.of(d.view().terms().id()))
        .balance(XrpCurrencyAmount.ofDrops(d.amount()))
        .amount(XrpCurrencyAmount.ofDrops(d.amount()))
        .signature(d.signature())
        .publicKey(d.view().terms().publicKey().base16Value())
        .build();
  }
}
