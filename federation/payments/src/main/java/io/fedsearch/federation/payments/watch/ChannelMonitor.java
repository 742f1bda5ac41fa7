package io.fedsearch.federation.payments.watch;

import io.fedsearch.federation.payments.journal.ClaimRows;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.channel.ChannelTerms;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.payee.PayeeChannels;
import io.fedsearch.federation.payments.payer.PayerChannels;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Metrics per channel (remaining balance, spend rate, time to exhaustion, unsettled value) and warnings before a
 * channel runs dry or expires within {@code warnHorizon}, or while it is unconfirmed on the ledger.
 */
public final class ChannelMonitor {
  private final PayerChannels payer;
  private final PayeeChannels payee;
  private final PaymentsDb db;
  private final PaymentsConfig config;
  private final Clock clock;

  public ChannelMonitor(PayerChannels payer, PayeeChannels payee, PaymentsDb db, PaymentsConfig config, Clock clock) {
    this.payer = payer;
    this.payee = payee;
    this.db = db;
    this.config = config;
    this.clock = clock;
  }

  public List<ChannelMetrics> all() {
    Instant now = clock.instant();
    List<ChannelMetrics> out = new ArrayList<>();
    for (PayerChannels.View v : payer.channels()) {
      out.add(metrics("payer", v.status(), v.terms(), v.terms().destination(), v.authorised(),
          payer.spendRate(v.terms().id()), 0, now));
    }
    for (PayeeChannels.View v : payee.channels()) {
      out.add(metrics("payee", v.status(), v.terms(), v.terms().source(), v.best(), payeeRate(v.terms().id(), now),
          v.unsettled(), now));
    }
    return out;
  }

  /** Only channels with at least one warning. */
  public List<ChannelMetrics> warnings() {
    return all().stream().filter(m -> !m.warnings().isEmpty()).toList();
  }

  private ChannelMetrics metrics(String role, String status, ChannelTerms t, String counterparty, long used,
      double rate, long unsettled, Instant now) {
    long remaining = t.amount() - used;
    Optional<Duration> toEmpty = rate > 0
        ? Optional.of(Duration.ofSeconds((long) Math.min(Long.MAX_VALUE / 2, remaining / rate)))
        : Optional.empty();
    List<String> warnings = new ArrayList<>();
    boolean live = !"closed".equals(status) && !"closing".equals(status);
    if (live && toEmpty.isPresent() && toEmpty.get().compareTo(config.warnHorizon()) < 0) {
      warnings.add("runs dry in about " + toEmpty.get().toMinutes() + " min at " + Math.round(rate) + " drops/s"
          + ("payer".equals(role) ? ": top it up" : ": the payer should top it up"));
    }
    Optional<Instant> exp = t.expiresAt();
    if (live && exp.isPresent() && exp.get().isBefore(now.plus(config.warnHorizon()))) {
      warnings.add("expires at " + exp.get() + ("payee".equals(role) && unsettled > 0
          ? ": settle the " + unsettled + " unsettled drops before then" : ""));
    }
    if (!t.confirmed() && live) {
      warnings.add("unconfirmed on ledger");
      if ("payee".equals(role) && config.rippledUrl().isEmpty()) {
        warnings.add("provisional: claims taken up to " + Math.min(t.amount(), config.provisionalChannelCapDrops())
            + " drops on this channel, " + config.provisionalPayerCapDrops() + " per payer");
      }
    }
    return new ChannelMetrics(t.id(), role, status, t.confirmed(), counterparty, t.amount(), used, remaining, rate,
        toEmpty, unsettled, exp, warnings);
  }

  private double payeeRate(String channel, Instant now) {
    long cutoff = now.minus(config.spendWindow()).toEpochMilli();
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(ClaimRows.SPEND_SINCE)) {
        ps.setString(1, channel);
        ps.setLong(2, cutoff);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || rs.getInt(5) < 2) {
            return 0.0;
          }
          long dt = Math.max(1, rs.getLong(4) - rs.getLong(3));
          return (rs.getLong(2) - rs.getLong(1)) * 1000.0 / dt;
        }
      }
    });
  }
}
