package io.fedsearch.federation.payments.payer;

import com.google.common.primitives.UnsignedInteger;
import com.google.common.primitives.UnsignedLong;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.channel.ChannelId;
import io.fedsearch.federation.payments.channel.ChannelTerms;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.channel.XrplTime;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.payee.ChannelRows;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import io.fedsearch.federation.payments.wallet.SignedTx;
import org.xrpl.xrpl4j.model.flags.PaymentChannelClaimFlags;
import org.xrpl.xrpl4j.model.transactions.Address;
import org.xrpl.xrpl4j.model.transactions.Hash256;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelClaim;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelCreate;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelFund;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * The payer side of the channels this node funds (discovery payouts to other nodes): opens channels, keeps the
 * cumulative amount authorised per channel durably, issues cumulative claims never beyond the channel's amount,
 * tops channels up from their recent spend rate and closes idle ones. Every transaction goes to the outbox; the
 * signed create/fund blobs are also returned so the payee can learn them in embedded mode.
 */
public final class PayerChannels {
  /** A channel we opened: its terms and the signed create to show the payee. */
  public record Opened(ChannelTerms terms, String createBlob) {}

  /** A maintenance action taken: "fund" (with the signed blob to show the payee) or "close". */
  public record Action(String kind, String channel, long drops, String blob, String why) {}

  /** A snapshot for listings. */
  public record View(ChannelTerms terms, String status, String peer, long authorised, Instant openedAt,
      Optional<Instant> lastClaimAt) {
    public long remaining() {
      return terms.amount() - authorised;
    }
  }

  private static final class State {
    ChannelTerms terms;
    String status;
    String peer;
    long authorised;
    String lastSig;
    Instant openedAt;
    Instant lastClaimAt;
    /** {epochMillis, authorised}: the last one at or before the spend window's start, then every claim since. */
    final Deque<long[]> samples = new ArrayDeque<>();
  }

  private final PaymentsDb db;
  private final Outbox outbox;
  private final XrplAccountKey key;
  private final PaymentsConfig config;
  private final Clock clock;
  private final ConcurrentHashMap<String, State> channels = new ConcurrentHashMap<>();

  public PayerChannels(PaymentsDb db, Outbox outbox, PaymentsConfig config, Clock clock) {
    this.db = db;
    this.outbox = outbox;
    this.key = outbox.key();
    this.config = config;
    this.clock = clock;
    db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM channels WHERE role='payer'");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          State s = new State();
          s.terms = ChannelRows.terms(rs);
          s.status = rs.getString("status");
          s.peer = rs.getString("peer");
          s.authorised = rs.getLong("best_amount");
          s.lastSig = rs.getString("best_signature");
          s.openedAt = Instant.ofEpochMilli(rs.getLong("opened_at"));
          s.lastClaimAt = ChannelRows.instant(rs, "last_claim_at");
          s.samples.addLast(new long[] {clock.millis(), s.authorised}); // spending before a restart is not known
          channels.put(s.terms.id(), s);
        }
      }
      return null;
    });
  }

  /**
   * Opens a channel of {@code drops} to {@code destination}, signed with our account key, with the given settle
   * delay and optional CancelAfter; the create goes to the outbox and its blob is returned for the payee.
   */
  public Opened open(String destination, long drops, long settleDelaySeconds, Optional<Instant> cancelAfter,
      String peer) {
    if (drops <= 0) {
      throw new IllegalArgumentException("channel amount must be positive");
    }
    Address dst = Address.of(destination);
    Instant now = clock.instant();
    Object[] result = new Object[2];
    db.write(c -> {
      SignedTx<PaymentChannelCreate> signed = outbox.enqueue(c, "create", null, seq -> {
        var b = PaymentChannelCreate.builder()
            .account(key.address())
            .fee(outbox.fee())
            .sequence(UnsignedInteger.valueOf(seq))
            .signingPublicKey(key.publicKey())
            .amount(XrpCurrencyAmount.ofDrops(drops))
            .destination(dst)
            .settleDelay(UnsignedInteger.valueOf(settleDelaySeconds))
            .publicKey(key.publicKey().base16Value());
        cancelAfter.ifPresent(t -> b.cancelAfter(UnsignedLong.valueOf(XrplTime.of(t))));
        return b.build();
      });
      String id = ChannelId.of(key.address(), dst, signed.transaction().sequence().longValue());
      try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET channel=? WHERE hash=?")) {
        ps.setString(1, id);
        ps.setString(2, signed.hash());
        ps.executeUpdate();
      }
      ChannelTerms terms = new ChannelTerms(id, key.address().value(), destination, key.publicKey(), drops, 0,
          settleDelaySeconds, cancelAfter, Optional.empty(), false);
      ChannelRows.insert(c, terms, "payer", "unconfirmed", peer, signed.blob(), now);
      result[0] = terms;
      result[1] = signed.blob();
    });
    ChannelTerms terms = (ChannelTerms) result[0];
    State s = new State();
    s.terms = terms;
    s.status = "unconfirmed";
    s.peer = peer;
    s.openedAt = now;
    s.samples.addLast(new long[] {now.toEpochMilli(), 0});
    channels.put(terms.id(), s);
    return new Opened(terms, (String) result[1]);
  }

  /**
   * Authorises {@code increment} more drops over {@code channelId} and returns the new cumulative claim. The new
   * total is stored durably before the claim is returned, so a restart never signs a lower total again.
   */
  public Claim authorise(String channelId, long increment) {
    if (increment <= 0) {
      throw new IllegalArgumentException("increment must be positive");
    }
    State s = channels.get(channelId);
    if (s == null) {
      throw new PaymentRejectedException(Rejection.UNKNOWN_CHANNEL, "no channel " + channelId + " paid by us");
    }
    synchronized (s) {
      long total = s.authorised + increment;
      if (total > s.terms.amount()) {
        throw new PaymentRejectedException(Rejection.OVER_BALANCE, "channel " + channelId + " has "
            + (s.terms.amount() - s.authorised) + " drops left, " + increment + " needed: fund it first");
      }
      String sig = key.signClaim(channelId, total);
      long at = clock.millis();
      db.write(c -> {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE channels SET best_amount=?, best_signature=?, last_claim_at=? WHERE id=?")) {
          ps.setLong(1, total);
          ps.setString(2, sig);
          ps.setLong(3, at);
          ps.setString(4, channelId);
          ps.executeUpdate();
        }
      });
      s.authorised = total;
      s.lastSig = sig;
      s.lastClaimAt = Instant.ofEpochMilli(at);
      s.samples.addLast(new long[] {at, total});
      trim(s, at);
      return new Claim(channelId, total, sig);
    }
  }

  /** The latest claim issued over a channel (to re-send after a lost acknowledgement). */
  public Optional<Claim> latestClaim(String channelId) {
    State s = channels.get(channelId);
    if (s == null) {
      return Optional.empty();
    }
    synchronized (s) {
      return s.lastSig == null ? Optional.empty() : Optional.of(new Claim(channelId, s.authorised, s.lastSig));
    }
  }

  /** An open channel to {@code destination} with at least {@code drops} left, if any. */
  public Optional<ChannelTerms> usableChannelTo(String destination, long drops) {
    return channels.values().stream()
        .filter(s -> s.terms.destination().equals(destination))
        .filter(s -> !"closing".equals(s.status) && !"closed".equals(s.status))
        .filter(s -> s.terms.amount() - s.authorised >= drops)
        .map(s -> s.terms)
        .findFirst();
  }

  /**
   * Drops per second authorised over the last spend window: what was spent in it over its length (over the
   * channel's age while that is shorter). Not over the span of the claims in it: a burst after a quiet hour would
   * then read as if it went on for the whole top-up horizon, and a channel idle for a day would keep the rate of
   * its last two claims.
   */
  public double spendRate(String channelId) {
    State s = channels.get(channelId);
    if (s == null) {
      return 0;
    }
    synchronized (s) {
      long now = clock.millis();
      trim(s, now);
      if (s.samples.size() < 2) {
        return 0;
      }
      long spent = s.samples.peekLast()[1] - s.samples.peekFirst()[1];
      long over = Math.max(1, Math.min(config.spendWindow().toMillis(), now - s.openedAt.toEpochMilli()));
      return spent * 1000.0 / over;
    }
  }

  /** Drops the samples before the window but the last of them: that one is what had been spent when it began. */
  private void trim(State s, long now) {
    long cutoff = now - config.spendWindow().toMillis();
    long[] base = s.samples.pollFirst();
    while (!s.samples.isEmpty() && s.samples.peekFirst()[0] <= cutoff) {
      base = s.samples.pollFirst();
    }
    if (base != null) {
      s.samples.addFirst(base);
    }
  }

  /**
   * Tops up channels that would run dry within {@code topUpHorizon} at their recent spend rate (to twice that
   * horizon's need, never above {@code topUpCeilingDrops}), and closes channels idle for {@code idleClose}. Returns
   * what it did.
   */
  public List<Action> maintain() {
    Instant now = clock.instant();
    List<Action> out = new ArrayList<>();
    for (State s : channels.values()) {
      String id = s.terms.id();
      if ("closing".equals(s.status) || "closed".equals(s.status)) {
        continue;
      }
      Instant last = s.lastClaimAt == null ? s.openedAt : s.lastClaimAt;
      if (!Duration.between(last, now).minus(config.idleClose()).isNegative()) {
        out.add(close(s, "idle since " + last));
        continue;
      }
      double rate = spendRate(id);
      long remaining;
      long amount;
      synchronized (s) {
        amount = s.terms.amount();
        remaining = amount - s.authorised;
      }
      double need = rate * config.topUpHorizon().toSeconds();
      if (rate > 0 && remaining < need) {
        long wanted = (long) Math.ceil(2 * need) - remaining;
        long add = Math.min(wanted, config.topUpCeilingDrops() - amount);
        if (add > 0) {
          out.add(fund(s, add, String.format("%.0f drops/s would empty it in %.0f s%s", rate, remaining / rate,
              add < wanted ? "; capped at the top-up ceiling of " + config.topUpCeilingDrops() + " drops" : "")));
        }
      }
    }
    return out;
  }

  /** Tops {@code channelId} up by {@code drops} now (payouts that need more than is left). */
  public Action fundNow(String channelId, long drops, String why) {
    State s = channels.get(channelId);
    if (s == null) {
      throw new PaymentRejectedException(Rejection.UNKNOWN_CHANNEL, "no channel " + channelId + " paid by us");
    }
    return fund(s, drops, why);
  }

  private Action fund(State s, long drops, String why) {
    String id = s.terms.id();
    String[] blob = new String[1];
    long newAmount;
    synchronized (s) {
      newAmount = s.terms.amount() + drops;
    }
    db.write(c -> {
      SignedTx<PaymentChannelFund> signed = outbox.enqueue(c, "fund", id, seq ->
          PaymentChannelFund.builder()
              .account(key.address())
              .fee(outbox.fee())
              .sequence(UnsignedInteger.valueOf(seq))
              .signingPublicKey(key.publicKey())
              .channel(Hash256.of(id))
              .amount(XrpCurrencyAmount.ofDrops(drops))
              .build());
      blob[0] = signed.blob();
      try (PreparedStatement ps = c.prepareStatement("UPDATE channels SET amount=? WHERE id=?")) {
        ps.setLong(1, newAmount);
        ps.setString(2, id);
        ps.executeUpdate();
      }
    });
    synchronized (s) {
      s.terms = s.terms.withAmount(newAmount);
    }
    return new Action("fund", id, drops, blob[0], why);
  }

  private Action close(State s, String why) {
    String id = s.terms.id();
    String[] blob = new String[1];
    db.write(c -> {
      SignedTx<PaymentChannelClaim> signed = outbox.enqueue(c, "close", id, seq ->
          PaymentChannelClaim.builder()
              .account(key.address())
              .fee(outbox.fee())
              .sequence(UnsignedInteger.valueOf(seq))
              .signingPublicKey(key.publicKey())
              .channel(Hash256.of(id))
              .flags(PaymentChannelClaimFlags.builder().tfClose(true).build())
              .build());
      blob[0] = signed.blob();
      try (PreparedStatement ps = c.prepareStatement("UPDATE channels SET status='closing' WHERE id=?")) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
    });
    synchronized (s) {
      s.status = "closing";
    }
    return new Action("close", id, 0, blob[0], why);
  }

  public List<View> channels() {
    List<View> out = new ArrayList<>();
    for (State s : channels.values()) {
      synchronized (s) {
        out.add(new View(s.terms, s.status, s.peer, s.authorised, s.openedAt, Optional.ofNullable(s.lastClaimAt)));
      }
    }
    out.sort(Comparator.comparing(v -> v.terms().id()));
    return out;
  }
}
