package io.fedsearch.federation.payments.payer;

import io.fedsearch.federation.payments.journal.ChannelRows;
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
import io.fedsearch.federation.payments.ledger.Ledger;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
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
 *
 * <p>With a ledger, a channel's amount is the validated ledger's ({@link #refreshFromLedger}), never what we queued:
 * a create or top-up counts once it validates, so a claim is never signed beyond what the payee can settle. One that
 * fails (e.g. tecUNFUNDED) or expires simply never counts, and the next top-up is planned from the ledger again.
 * Top-ups are sized to what the account can pay ({@link AccountFunds}). Without a ledger (embedded mode) there is
 * nothing to confirm against: a queued top-up counts at once, as the payee there counts it too.
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

  private final PaymentsDb db;
  private final Outbox outbox;
  private final Optional<Ledger> ledger;
  private final Optional<PayerLedgerSync> sync;
  private final XrplAccountKey key;
  private final PaymentsConfig config;
  private final Clock clock;
  private final ConcurrentHashMap<String, PayerChannel> channels = new ConcurrentHashMap<>();
  /** The peer tag of channels a hub pays platforms' purchases over (set by {@code hub.PlatformPayer}). */
  public static final String PURCHASE_CHANNEL_PREFIX = "hub:";
  /** Sizing a top-up and queuing it happen under this lock: two are never sized from the same free balance. */
  private final ReentrantLock funding = new ReentrantLock();

  /** Embedded mode: no ledger to confirm channels against. */
  public PayerChannels(PaymentsDb db, Outbox outbox, PaymentsConfig config, Clock clock) {
    this(db, outbox, Optional.empty(), config, clock);
  }

  public PayerChannels(PaymentsDb db, Outbox outbox, Optional<Ledger> ledger, PaymentsConfig config, Clock clock) {
    this.db = db;
    this.outbox = outbox;
    this.ledger = ledger;
    this.sync = ledger.map(l -> new PayerLedgerSync(db, outbox, l, outbox.key()));
    this.key = outbox.key();
    this.config = config;
    this.clock = clock;
    db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(ChannelRows.PAYERS);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          PayerChannel s = new PayerChannel();
          s.terms = ChannelRows.terms(rs);
          s.status = rs.getString("status");
          s.peer = rs.getString("peer");
          s.authorised = rs.getLong("best_amount");
          s.lastSig = rs.getString("best_signature");
          s.openedAt = Instant.ofEpochMilli(rs.getLong("opened_at"));
          s.lastClaimAt = ChannelRows.instant(rs, "last_claim_at");
          s.spend = new SpendRate(s.openedAt.toEpochMilli(), config.spendWindow());
          s.spend.record(clock.millis(), s.authorised); // spending before a restart is not known
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
      outbox.assignChannel(c, signed.hash(), id);
      ChannelTerms terms = new ChannelTerms(id, key.address().value(), destination, key.publicKey(), drops, 0,
          settleDelaySeconds, cancelAfter, Optional.empty(), false);
      ChannelRows.insert(c, terms, "payer", "unconfirmed", peer, signed.blob(), now);
      result[0] = terms;
      result[1] = signed.blob();
    });
    ChannelTerms terms = (ChannelTerms) result[0];
    PayerChannel s = new PayerChannel();
    s.terms = terms;
    s.status = "unconfirmed";
    s.peer = peer;
    s.openedAt = now;
    s.spend = new SpendRate(now.toEpochMilli(), config.spendWindow());
    s.spend.record(now.toEpochMilli(), 0);
    channels.put(terms.id(), s);
    return new Opened(terms, (String) result[1]);
  }

  /**
   * Authorises {@code increment} more drops over {@code channelId} and returns the new cumulative claim. The new
   * total is stored durably before the claim is returned, so a restart never signs a lower total again. With a
   * ledger the total stays within the channel's validated amount: a shortfall reads the channel from the ledger once
   * (a top-up may have validated since the last refresh), then refuses, saying what is on its way.
   */
  public Claim authorise(String channelId, long increment) {
    if (increment <= 0) {
      throw new IllegalArgumentException("increment must be positive");
    }
    PayerChannel s = channels.get(channelId);
    if (s == null) {
      throw new PaymentRejectedException(Rejection.UNKNOWN_CHANNEL, "no channel " + channelId + " paid by us");
    }
    boolean fits;
    s.lock.lock();
    try {
      fits = s.authorised + increment <= limit(s);
    } finally {
      s.lock.unlock();
    }
    if (!fits && ledger.isPresent()) {
      sync.orElseThrow().refresh(s);
    }
    s.lock.lock();
    try {
      long total = s.authorised + increment;
      if (total > limit(s)) {
        throw new PaymentRejectedException(Rejection.OVER_BALANCE, shortfall(s, increment));
      }
      String sig = key.signClaim(channelId, total);
      long at = clock.millis();
      db.write(c -> {
        try (PreparedStatement ps = c.prepareStatement(
            ChannelRows.SET_BEST_CLAIM)) {
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
      s.spend.record(at, total);
      return new Claim(channelId, total, sig);
    } finally {
      s.lock.unlock();
    }
  }

  /**
   * The most a claim over {@code s} may total (caller holds its lock): with a ledger, the validated amount (none
   * before the create validates, nor once the ledger has closed the channel); without, the amount we put in, top-ups
   * counted when queued.
   */
  private long limit(PayerChannel s) {
    if (ledger.isEmpty()) {
      return s.terms.amount();
    }
    return s.terms.confirmed() && !"closed".equals(s.status) ? s.terms.amount() : 0;
  }

  /** Why a claim of {@code increment} more over {@code s} cannot be signed now (caller holds its lock). */
  private String shortfall(PayerChannel s, long increment) {
    String id = s.terms.id();
    if (ledger.isEmpty()) {
      return "channel " + id + " has " + (s.terms.amount() - s.authorised) + " drops left, " + increment
          + " needed: fund it first";
    }
    if (!s.terms.confirmed() || "closed".equals(s.status)) {
      return "closed".equals(s.status)
          ? "channel " + id + " is not on the validated ledger: its create failed or it closed; open another"
          : "channel " + id + " is not on the validated ledger yet: claims over it wait until its create validates";
    }
    long onItsWay = outbox.openAmounts("fund").getOrDefault(id, 0L);
    return "channel " + id + " holds " + s.terms.amount() + " drops on the validated ledger, " + s.authorised
        + " already authorised, " + increment + " more needed: " + (onItsWay > 0
            ? "a top-up of " + onItsWay + " drops is on its way to the ledger; pay once it validates"
            : "fund it first");
  }

  /** The latest claim issued over a channel (to re-send after a lost acknowledgement). */
  public Optional<Claim> latestClaim(String channelId) {
    PayerChannel s = channels.get(channelId);
    if (s == null) {
      return Optional.empty();
    }
    s.lock.lock();
    try {
      return s.lastSig == null ? Optional.empty() : Optional.of(new Claim(channelId, s.authorised, s.lastSig));
    } finally {
      s.lock.unlock();
    }
  }

  /** An open channel to {@code destination} with at least {@code drops} left, if any. */
  public Optional<ChannelTerms> usableChannelTo(String destination, long drops) {
    return channels.values().stream()
        .filter(s -> s.terms.destination().equals(destination))
        .filter(s -> !"closing".equals(s.status) && !"closed".equals(s.status))
        .filter(s -> {
          s.lock.lock();
          try {
            return limit(s) - s.authorised >= drops;
          } finally {
            s.lock.unlock();
          }
        })
        .map(s -> s.terms)
        .findFirst();
  }

  /** Drops per second authorised over the last spend window (see {@link SpendRate}). */
  public double spendRate(String channelId) {
    PayerChannel s = channels.get(channelId);
    if (s == null) {
      return 0;
    }
    s.lock.lock();
    try {
      return s.spend.perSecond(clock.millis());
    } finally {
      s.lock.unlock();
    }
  }

  /**
   * Tops up channels that would run dry within {@code topUpHorizon} at their recent spend rate (to twice that
   * horizon's need, never above {@code topUpCeilingDrops}, with a ledger never beyond what the account can pay), and
   * closes channels idle for {@code idleClose}. With a ledger, what is left counts top-ups still on their way, so one
   * is not planned twice, and a channel whose create has not validated is not topped up. Returns what it did.
   */
  public List<Action> maintain() {
    Instant now = clock.instant();
    List<Action> out = new ArrayList<>();
    Map<String, Long> onTheirWay = ledger.isPresent() ? outbox.openAmounts("fund") : Map.of();
    for (PayerChannel s : channels.values()) {
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
      s.lock.lock();
      try {
        if (ledger.isPresent() && !s.terms.confirmed()) {
          continue; // nothing to top up before the create validates (a fund would fail with tecNO_ENTRY)
        }
        if (ledger.isEmpty() && s.peer != null && s.peer.startsWith(PURCHASE_CHANNEL_PREFIX)) {
          // Without a ledger a platform learns a channel only from its signed create; a channel a hub pays
          // purchases over presents no fund, so a top-up here would let the hub sign claims the platform refuses
          // (the hub opens a new channel instead: hub.PlatformPayer).
          continue;
        }
        long coming = onTheirWay.getOrDefault(id, 0L);
        amount = s.terms.amount() + coming;
        remaining = amount - s.authorised;
      } finally {
        s.lock.unlock();
      }
      double need = rate * config.topUpHorizon().toSeconds();
      if (rate > 0 && remaining < need) {
        long wanted = (long) Math.ceil(2 * need) - remaining;
        long add = Math.min(wanted, config.topUpCeilingDrops() - amount);
        if (add <= 0) {
          continue;
        }
        String why = String.format("%.0f drops/s would empty it in %.0f s%s", rate, remaining / rate,
            add < wanted ? "; capped at the top-up ceiling of " + config.topUpCeilingDrops() + " drops" : "");
        try {
          out.add(fund(s, add, why));
        } catch (PaymentRejectedException e) {
          // the account cannot pay it (or the ledger is unreachable): the monitor warns; the next tick plans again
        }
      }
    }
    return out;
  }

  /**
   * Tops {@code channelId} up so that {@code drops} more than it holds now are on it or on their way (payouts that
   * need more than is left). With a ledger, top-ups already on their way count towards it (a payout retried while
   * one is in flight does not queue another), the channel must be on the validated ledger, and the amount is cut to
   * what the account can pay; when nothing is needed the action carries the top-up already on its way.
   */
  public Action fundNow(String channelId, long drops, String why) {
    PayerChannel s = channels.get(channelId);
    if (s == null) {
      throw new PaymentRejectedException(Rejection.UNKNOWN_CHANNEL, "no channel " + channelId + " paid by us");
    }
    if (ledger.isEmpty()) {
      return fund(s, drops, why);
    }
    s.lock.lock();
    try {
      if (!s.terms.confirmed()) {
        throw new PaymentRejectedException(Rejection.OVER_BALANCE, "channel " + channelId
            + " is not on the validated ledger yet: it is topped up once its create validates");
      }
    } finally {
      s.lock.unlock();
    }
    long coming = outbox.openAmounts("fund").getOrDefault(channelId, 0L);
    if (coming >= drops) {
      return new Action("fund", channelId, coming, outbox.newestOpenBlob("fund", channelId).orElse(null),
          why + "; a top-up of " + coming + " drops is already on its way");
    }
    return fund(s, drops - coming, why);
  }

  /**
   * Queues a PaymentChannelFund of {@code drops} (with a ledger: at most what the account can pay, refused when that
   * is nothing). Without a ledger the channel's amount counts it at once; with one it counts once it validates.
   */
  private Action fund(PayerChannel s, long drops, String why) {
    funding.lock();
    try {
      return fundLocked(s, drops, why);
    } finally {
      funding.unlock();
    }
  }

  private Action fundLocked(PayerChannel s, long drops, String why) {
    String id = s.terms.id();
    long amount = drops;
    String sized = why;
    if (ledger.isPresent()) {
      AccountFunds.Available free;
      try {
        free = AccountFunds.of(ledger.get(), outbox, config);
      } catch (RuntimeException e) {
        throw new PaymentRejectedException(Rejection.LEDGER_UNAVAILABLE,
            "cannot read our account from the ledger to size a top-up of " + id + ": " + e.getMessage());
      }
      if (free.drops() <= 0) {
        throw new PaymentRejectedException(Rejection.OVER_BALANCE, "account " + key.address().value()
            + " cannot put more into channel " + id + ": " + free.why());
      }
      if (free.drops() < drops) {
        amount = free.drops();
        sized = why + "; cut from " + drops + " to what the account can pay (" + free.why() + ")";
      }
    }
    long add = amount;
    boolean countNow = ledger.isEmpty();
    String[] blob = new String[1];
    db.write(c -> {
      SignedTx<PaymentChannelFund> signed = outbox.enqueue(c, "fund", id, seq ->
          PaymentChannelFund.builder()
              .account(key.address())
              .fee(outbox.fee())
              .sequence(UnsignedInteger.valueOf(seq))
              .signingPublicKey(key.publicKey())
              .channel(Hash256.of(id))
              .amount(XrpCurrencyAmount.ofDrops(add))
              .build());
      blob[0] = signed.blob();
      if (countNow) {
        try (PreparedStatement ps = c.prepareStatement(ChannelRows.ADD_AMOUNT)) {
          ps.setLong(1, add);
          ps.setString(2, id);
          ps.executeUpdate();
        }
      }
    });
    if (countNow) {
      s.lock.lock();
      try {
        s.terms = s.terms.withAmount(s.terms.amount() + add);
      } finally {
        s.lock.unlock();
      }
    }
    return new Action("fund", id, add, blob[0], sized);
  }

  /**
   * With a ledger: takes each of our channels' amount, balance and expiration from the validated ledger (see
   * {@link PayerLedgerSync}). Returns how many channels changed; an unreachable ledger changes nothing.
   */
  public int refreshFromLedger() {
    return sync.map(l -> l.refreshAll(new ArrayList<>(channels.values()))).orElse(0);
  }

  private Action close(PayerChannel s, String why) {
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
      try (PreparedStatement ps = c.prepareStatement(ChannelRows.SET_CLOSING)) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
    });
    s.lock.lock();
    try {
      s.status = "closing";
    } finally {
      s.lock.unlock();
    }
    return new Action("close", id, 0, blob[0], why);
  }

  public List<View> channels() {
    List<View> out = new ArrayList<>();
    for (PayerChannel s : channels.values()) {
      s.lock.lock();
      try {
        out.add(new View(s.terms, s.status, s.peer, s.authorised, s.openedAt, Optional.ofNullable(s.lastClaimAt)));
      } finally {
        s.lock.unlock();
      }
    }
    out.sort(Comparator.comparing(v -> v.terms().id()));
    return out;
  }
}
