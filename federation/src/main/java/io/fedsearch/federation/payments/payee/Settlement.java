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
import java.util.Optional;
import org.xrpl.xrpl4j.model.transactions.Address;
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
    List<Settled> out = new ArrayList<>();
    for (PayeeChannels.View v : payee.channels()) {
      if (v.unsettled() <= 0 || v.bestSignature() == null || "closed".equals(v.status())) {
        continue;
      }
      Optional<String> why = force ? Optional.of("requested") : due(v, now);
      if (why.isEmpty()) {
        continue;
      }
      settle(v, now);
      out.add(new Settled(v.terms().id(), v.best(), why.get()));
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

  private void settle(PayeeChannels.View v, Instant now) {
    String id = v.terms().id();
    long best = v.best();
    String sig = v.bestSignature();
    String key = v.terms().publicKey().base16Value();
    Address me = outbox.key().address();
    db.write(c -> {
      java.util.function.LongFunction<PaymentChannelClaim> build = seq -> PaymentChannelClaim.builder()
          .account(me)
          .fee(outbox.fee())
          .sequence(UnsignedInteger.valueOf(seq))
          .signingPublicKey(outbox.key().publicKey())
          .channel(Hash256.of(id))
          .balance(XrpCurrencyAmount.ofDrops(best))
          .amount(XrpCurrencyAmount.ofDrops(best))
          .signature(sig)
          .publicKey(key)
          .build();
      if (!outbox.replacePending(c, "claim", id, build::apply)) {
        outbox.enqueue(c, "claim", id, build);
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE channels SET settled_amount=?, last_settle_at=? WHERE id=?")) {
        ps.setLong(1, best);
        ps.setLong(2, now.toEpochMilli());
        ps.setString(3, id);
        ps.executeUpdate();
      }
    });
    payee.markSettled(id, best, now);
  }
}
