package io.fedsearch.federation.payments.payee;

import com.google.common.primitives.UnsignedInteger;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.ledger.Outbox;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import io.fedsearch.federation.payments.wallet.SignedTx;
import org.xrpl.xrpl4j.model.transactions.Hash256;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelClaim;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * Turns the best claim of a channel into a PaymentChannelClaim in the outbox when its unsettled value reaches the
 * threshold, when the channel expires within {@code settleBeforeExpiry}, or when {@code settlePeriod} has passed
 * since the last settlement (or the channel opened) — whichever comes first. A claim still waiting unsubmitted in
 * the outbox is replaced in place by the better one, so a channel never has two settlement claims queued.
 */
public final class Settlement {
  /** One settlement decision: the channel, the amount now covered, and why. */
  public record Settled(String channel, long balance, String why) {}

  private final PayeeChannels payee;
  private final Outbox outbox;
  private final PaymentsDb db;
  private final PaymentsConfig config;
  private final Clock clock;

  public Settlement(PayeeChannels payee, Outbox outbox, PaymentsDb db, PaymentsConfig config, Clock clock) {
    this.payee = payee;
    this.outbox = outbox;
    this.db = db;
    this.config = config;
    this.clock = clock;
  }

  /** Settles every channel that is due now. */
  public List<Settled> run() {
    return run(false);
  }

  /** With {@code force}, settles every channel with unsettled value (shutdown, bench end, operator request). */
  public List<Settled> run(boolean force) {
    Instant now = clock.instant();
    List<PayeeChannels.View> due = new ArrayList<>();
    List<Settled> out = new ArrayList<>();
    for (PayeeChannels.View v : payee.channels()) {
      if (v.unsettled() <= 0 || v.bestSignature() == null || "closed".equals(v.status())) {
        continue;
      }
      Optional<String> why = force ? Optional.of("requested") : due(v, now);
      if (why.isPresent()) {
        due.add(v);
        out.add(new Settled(v.terms().id(), v.best(), why.get()));
      }
    }
    if (due.isEmpty()) {
      return out;
    }
    // A channel's unsubmitted claim keeps its Sequence; new claims get a reserved range. Signing runs in parallel
    // outside the journal's commit thread; the rows and channel updates then go in one durable write.
    Map<String, Long> pending = outbox.pendingByChannel("claim");
    long fresh = due.stream().filter(v -> !pending.containsKey(v.terms().id())).count();
    long first = fresh == 0 ? 0 : outbox.reserveSequences((int) fresh);
    long[] next = {first};
    List<long[]> seqs = new ArrayList<>();
    for (PayeeChannels.View v : due) {
      Long p = pending.get(v.terms().id());
      seqs.add(new long[] {p != null ? p : next[0]++});
    }
    List<SignedTx<PaymentChannelClaim>> signed = IntStream.range(0, due.size()).parallel()
        .mapToObj(i -> outbox.key().sign(claimTx(due.get(i), seqs.get(i)[0]))).toList();
    db.write(c -> {
      for (int i = 0; i < due.size(); i++) {
        PayeeChannels.View v = due.get(i);
        PaymentChannelClaim unsigned = claimTx(v, seqs.get(i)[0]);
        if (pending.containsKey(v.terms().id())) {
          outbox.replaceSigned(c, "claim", v.terms().id(), unsigned, signed.get(i));
        } else {
          outbox.insert(c, "claim", v.terms().id(), unsigned, signed.get(i));
        }
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE channels SET settled_amount=?, last_settle_at=? WHERE id=?")) {
          ps.setLong(1, v.best());
          ps.setLong(2, now.toEpochMilli());
          ps.setString(3, v.terms().id());
          ps.executeUpdate();
        }
      }
    });
    for (PayeeChannels.View v : due) {
      payee.markSettled(v.terms().id(), v.best(), now);
    }
    return out;
  }

  Optional<String> due(PayeeChannels.View v, Instant now) {
    if (v.unsettled() >= config.settleThreshold()) {
      return Optional.of("unsettled " + v.unsettled() + " drops >= threshold " + config.settleThreshold());
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

  private PaymentChannelClaim claimTx(PayeeChannels.View v, long sequence) {
    return PaymentChannelClaim.builder()
        .account(outbox.key().address())
        .fee(outbox.fee())
        .sequence(UnsignedInteger.valueOf(sequence))
        .signingPublicKey(outbox.key().publicKey())
        .channel(Hash256.of(v.terms().id()))
        .balance(XrpCurrencyAmount.ofDrops(v.best()))
        .amount(XrpCurrencyAmount.ofDrops(v.best()))
        .signature(v.bestSignature())
        .publicKey(v.terms().publicKey().base16Value())
        .build();
  }
}
