package io.fedsearch.federation.payments.hub;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.federation.payments.payee.PayeeChannels;
import io.fedsearch.federation.payments.purchase.PreparedSale;
import io.fedsearch.federation.payments.purchase.PurchaseService;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A hub: forwards users' purchases to platforms. A user pays the hub over one channel (an ordinary payee channel of
 * this node, with every payee check); the hub pays each platform over its own channel ({@link PlatformPayer}) and
 * returns the platform's verified receipt with a signed {@link HubStatement} ack, or a signed credit note when the
 * platform refused or could not be reached. This node's own listings it sells itself over the same user channel
 * ({@link #sellOwn}: no hub fee, one durable write, never pending).
 *
 * <p>Per user channel the hub keeps {@code authorised} (the best claim the payee journal holds), {@code consumed}
 * (costs of delivered forwarded purchases, from the journal, plus the channel's sales at this node — its own
 * listings, bought through the hub or directly — so one channel's value is spent once) and what is in flight (at most {@link HubConfig#inFlightLimit()}
 * purchases). A purchase needs {@code authorised ≥ consumed + in flight + cost}. Order, each step durable before the
 * next: the request row together with the user's claim that covers it; the hub's claim to the platform; then the
 * platform is paid; then the decision. So the hub never forwards value its user's durable claim does not cover, and
 * after a crash every journaled request is decided ({@link #recover}): its journaled claim is sent again, which the
 * platform answers with the same receipt if it took it, else the request is credited.
 */
public final class HubService implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HubService.class.getName());
  /** A live purchase tries an unreachable platform this often; recovery after a restart, longer. */
  private static final int LIVE_ATTEMPTS = 2;
  private static final int RECOVERY_ATTEMPTS = 6;

  /** What a hub advertises ({@code GET /api/hub}). */
  public record Terms(String account, NodePublicKey publicKey, int feeBps, long feeDrops, int inFlightLimit,
      long minSettleDelay, Map<String, Object> channelCaps) {}

  /** One user channel's accounting (guarded by {@code lock}; never held across a network call). */
  private static final class Account {
    final ReentrantLock lock = new ReentrantLock();
    long consumed;
    final Map<String, Long> inFlight = new LinkedHashMap<>();

    long inFlightCost() {
      return inFlight.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final Payments payments;
  private final PayeeChannels payee;
  private final NodeKey key;
  private final PurchaseProtocol protocol;
  private final HubConfig config;
  private final Clock clock;
  private final HubJournal journal;
  private final PlatformPayer platforms;
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();
  private final Thread recovery;
  /** This node as a platform: its own listings are sold over the user's channel, not forwarded. */
  private final PeerId self;
  /** Told of every decision and refusal ({@code /metrics}); {@link HubListener#NONE} until one listens. */
  private volatile HubListener listener = HubListener.NONE;

  private HubService(Payments payments, NodeKey key, PurchaseProtocol protocol, HubConfig config, Clock clock) {
    this.payments = payments;
    this.payee = payments.payee();
    this.key = key;
    this.protocol = protocol;
    this.config = config;
    this.clock = clock;
    this.self = PeerId.of(key.publicKey());
    this.journal = new HubJournal(payments.db(), self.toString());
    this.platforms = new PlatformPayer(payments.payer(), payments.db(), protocol, config,
        payments.ledger().isPresent(), journal.acknowledged());
    journal.consumed().forEach((channel, drops) -> account(channel).consumed = drops);
    var pending = journal.pending();
    for (HubJournal.Row r : pending) {
      account(r.channel()).inFlight.put(r.requestId(), r.cost()); // until recovery decides it
    }
    this.recovery = Thread.ofVirtual().name("hub-recovery").unstarted(() -> recover(pending));
  }

  /** A hub over {@code payments}, signing with the node key; decides requests left pending by a crash meanwhile. */
  public static HubService start(Payments payments, NodeKey key, PurchaseProtocol protocol, HubConfig config,
      Clock clock) {
    HubService hub = new HubService(payments, key, protocol, config, clock);
    hub.recovery.start();
    return hub;
  }

  public Terms terms() {
    Map<String, Object> caps = new LinkedHashMap<>();
    caps.put("ledger", payments.ledger().isPresent());
    if (payments.ledger().isEmpty()) { // embedded: a channel known only from its create is capped
      caps.put("provisional_channel_cap_drops", payments.config().provisionalChannelCapDrops());
      caps.put("provisional_payer_cap_drops", payments.config().provisionalPayerCapDrops());
    }
    return new Terms(payments.account().address().value(), key.publicKey(), config.feeBps(), config.feeDrops(),
        config.inFlightLimit(), payments.config().minSettleDelay(), caps);
  }

  public HubConfig config() {
    return config;
  }

  /**
   * The hub fee on a purchase of {@code price} drops from {@code platform}: the configured fee, and 0 for this
   * node's own listings (nothing is forwarded, no channel to a platform is funded for them).
   */
  public long fee(PeerId platform, long price) {
    return platform.equals(self) ? 0 : config.fee(price);
  }

  /**
   * Forwards {@code q}, returning once it is decided (delivered or credited) — or sells it, when it is this node's
   * own listing ({@link #sellOwn}); a request id seen before gets that request's answer (pending while in flight).
   * Refuses with {@link HubRefusal} before anything is journaled.
   */
  public HubAnswer purchase(HubRequest q) {
    try {
      return take(q);
    } catch (HubRefusal e) {
      listener.refused(e.code());
      throw e;
    }
  }

  private HubAnswer take(HubRequest q) {
    Optional<HubJournal.Row> known = journal.find(q.requestId());
    if (known.isPresent()) {
      return same(known.get(), q.channel());
    }
    boolean own = q.platform().equals(self);
    long fee = fee(q.platform(), q.price());
    if (q.hubFee() != fee) {
      throw new HubRefusal(409, "fee_changed", own ? "this hub sells " + q.cid() + " itself and charges no hub fee"
          + " on its own listings: send hub_fee 0, not " + q.hubFee() : "this hub's fee on a price of " + q.price()
          + " drops is " + fee + " drops (" + config.feeBps() + " bps + " + config.feeDrops() + " drops), not "
          + q.hubFee() + ": show the user the current terms (GET /api/hub) and ask again");
    }
    try {
      // A user's channel, as when the user pays this node directly: no peer (a peer marks a node's payout channel,
      // whose claims the node's economics count as discovery fees earned).
      q.channelCreate().ifPresent(blob -> payee.learnChannel(blob, null));
    } catch (PaymentRejectedException e) {
      throw HubRefusal.ofClaim(e);
    }
    if (payee.channel(q.channel()).isEmpty()) {
      throw new HubRefusal(404, "unknown_channel", "this hub does not know channel " + q.channel()
          + ": send its signed PaymentChannelCreate as channel_create");
    }
    if (own) {
      return sellOwn(q);
    }
    String address = platforms.address(q.platform());
    platforms.channelFor(q.platform(), address, q.price()); // liquidity before the user's claim is taken

    Account a = account(q.channel());
    a.lock.lock();
    try {
      known = journal.find(q.requestId()); // the same request sent twice at once: the second sees the first
      if (known.isPresent()) {
        return same(known.get(), q.channel());
      }
      if (a.inFlight.size() >= config.inFlightLimit()) {
        throw new HubRefusal(409, "in_flight_limit", a.inFlight.size() + " purchase(s) over channel "
            + q.channel() + " are in flight, this hub's limit is " + config.inFlightLimit()
            + ": wait for them (GET /api/hub/purchases/{request_id}) and send this again");
      }
      long authorised = authorised(q.channel()); // before the direct sales: a sale counts once its claim does
      long consumed = a.consumed + journal.directSales(q.channel());
      long required = consumed + a.inFlightCost() + q.cost();
      Optional<Claim> raise = q.claim().filter(c -> c.drops() > authorised);
      long offered = raise.map(Claim::drops).orElse(authorised);
      if (offered < required) {
        throw overBalance(q, authorised, consumed, a.inFlightCost(), required);
      }
      long[] needed = new long[1];
      var row = journal.insert(q, clock.instant(), a.consumed + a.inFlightCost() + q.cost(),
          raise.map(Claim::drops).orElse(0L), needed);
      Optional<HubAnswer> raced = durable(q, raise, row, needed, cause -> {});
      if (raced.isPresent()) {
        return raced.get();
      }
      a.inFlight.put(q.requestId(), q.cost());
    } finally {
      a.lock.unlock();
    }
    HubJournal.Row pending = new HubJournal.Row(q.requestId(), q.channel(), q.cid().toString(),
        q.platform().toString(), q.price(), q.hubFee(), q.token(), q.receiptKey().hex(), HubAnswer.PENDING,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    return forward(pending, LIVE_ATTEMPTS);
  }

  private static HubRefusal overBalance(HubRequest q, long authorised, long consumed, long inFlight,
      long required) {
    return new HubRefusal(402, "over_balance", "this purchase costs " + q.cost() + " drops (price " + q.price()
        + " + hub fee " + q.hubFee() + "); channel " + q.channel() + " has " + authorised + " authorised, "
        + consumed + " consumed, " + inFlight + " in flight: sign a cumulative claim of " + required + " drops",
        required);
  }

  /**
   * Sells this node's own listing over the user's channel: the node's {@link PurchaseService} checks it as any
   * purchase (listing, price, attribution token, discovery fee to the node that surfaced it, receipt naming the
   * user's receipt key) and refuses with its own code before anything is taken; then the user's claim (when it
   * raises the channel), the request row, the sale and the decision with its signed ack are one durable
   * transaction ({@link HubJournal#insertSold}). Nothing is in flight, so the in-flight limit does not apply, and a
   * crash leaves the request either never journaled (send it again) or delivered. Its value is counted once: as a
   * sale of the channel, like a direct purchase over {@code /fedsearch/purchase/1.0.0}.
   */
  private HubAnswer sellOwn(HubRequest q) {
    Account a = account(q.channel());
    a.lock.lock();
    try {
      Optional<HubJournal.Row> known = journal.find(q.requestId());
      if (known.isPresent()) {
        return same(known.get(), q.channel());
      }
      long authorised = authorised(q.channel());
      long consumed = a.consumed + journal.directSales(q.channel());
      long required = consumed + a.inFlightCost() + q.cost();
      Optional<Claim> raise = q.claim().filter(c -> c.drops() > authorised);
      if (raise.map(Claim::drops).orElse(authorised) < required) {
        throw overBalance(q, authorised, consumed, a.inFlightCost(), required);
      }
      // the claim the sale names: the raise, else the best one this node holds (which covers it, checked above)
      Claim paying = raise.orElseGet(() -> payee.channel(q.channel())
          .map(v -> new Claim(q.channel(), v.best(), v.bestSignature())).orElseThrow());
      PreparedSale sale;
      try {
        sale = payments.purchases().prepare(new PurchaseService.Request(paying, q.cid(), q.price(), q.token(),
            Optional.empty(), q.receiptKey()));
      } catch (PaymentRejectedException e) {
        throw HubRefusal.ofSale(e);
      }
      long[] needed = new long[1];
      HubStatement[] ack = new HubStatement[1];
      Instant at = clock.instant();
      long forwarded = a.consumed;
      PaymentsDb.Write w = journal.insertSold(q, at, a.consumed + a.inFlightCost() + q.cost(),
          raise.map(Claim::drops).orElse(0L), needed, sale.write(), () -> sale.receipt().encode(),
          (best, sales) -> HubStatement.sign(key, HubStatement.Kind.ACK, q.requestId(), q.channel(), best,
              forwarded + sales, q.cid().toString(), q.platform().toString(), q.cost(), at), ack);
      Optional<HubAnswer> raced = durable(q, raise, w, needed, sale::abandon);
      if (raced.isPresent()) {
        return raced.get();
      }
      sale.completed();
      listener.decided(HubAnswer.DELIVERED, "", 0); // sold here: nothing was forwarded
      return HubAnswer.delivered(sale.receipt().encode(), ack[0]);
    } finally {
      a.lock.unlock();
    }
  }

  /**
   * Makes {@code w} durable, through the payee journal with the user's raised claim when there is one. A failure
   * ({@code onFailure} hears its cause first) becomes the refusal a wallet acts on — or, when the same request id
   * was journaled over another channel at the same moment, that request's answer.
   */
  private Optional<HubAnswer> durable(HubRequest q, Optional<Claim> raise, PaymentsDb.Write w, long[] needed,
      java.util.function.Consumer<Throwable> onFailure) {
    try {
      if (raise.isPresent()) {
        payee.acceptAsync(raise.get(), 0, w).join();
      } else {
        payments.db().write(w);
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      onFailure.accept(cause);
      if (needed[0] > 0) {
        throw new HubRefusal(402, "over_balance", cause.getMessage(), needed[0]);
      }
      Optional<HubJournal.Row> raced = journal.find(q.requestId()); // the same id over another channel, at once
      if (raced.isPresent()) {
        return Optional.of(same(raced.get(), q.channel()));
      }
      if (cause instanceof PaymentRejectedException p) {
        throw HubRefusal.ofClaim(p);
      }
      throw e;
    }
  }

  /** The answer of a request already journaled, if {@code channel} is its channel. */
  public Optional<HubAnswer> status(String requestId, String channel) {
    return journal.find(requestId).filter(r -> r.channel().equalsIgnoreCase(channel)).map(HubJournal.Row::answer);
  }

  private static HubAnswer same(HubJournal.Row r, String channel) {
    if (!r.channel().equals(channel)) {
      throw new HubRefusal(409, "request_id_taken", "request_id " + r.requestId()
          + " was used over another channel: choose a new random request_id");
    }
    return r.answer();
  }

  /**
   * Pays the platform for a journaled request and decides it. Never throws for the platform's sake: a refusal,
   * an unreachable platform or a hub-side failure to pay credits the user.
   */
  private HubAnswer forward(HubJournal.Row r, int attempts) {
    long start = System.nanoTime();
    HubAnswer a = pay(r, attempts);
    listener.decided(a.status(), a.reasonCode().orElse(""), System.nanoTime() - start);
    return a;
  }

  private HubAnswer pay(HubJournal.Row r, int attempts) {
    PeerId platform = PeerId.parse(r.platform());
    try {
      String channel = r.platformClaim().map(Claim::channel)
          .orElseGet(() -> platforms.channelFor(platform, platforms.address(platform), r.price()));
      ReentrantLock lock = platforms.lock(channel);
      lock.lock();
      try {
        PlatformPayer.Payment pay = r.platformClaim().map(platforms::again)
            .orElseGet(() -> platforms.claim(channel, r.price()));
        if (r.platformClaim().isEmpty()) {
          journal.platformClaim(r.requestId(), pay.claim());
        }
        boolean freshTried = false;
        for (int attempt = 1; ; attempt++) {
          try {
            Receipt receipt = protocol.buy(platform, pay.claim(), Cid.parse(r.cid()), r.price(), r.token(),
                pay.create(), NodePublicKey.fromHex(r.receiptKey()));
            platforms.acknowledged(channel, pay.claim().drops());
            return decide(r, Optional.of(receipt), "", "");
          } catch (PurchaseProtocol.Refused e) {
            // The platform holds more of this channel than our receipts show: it took a claim whose answer was
            // lost (the request was credited). It holds at most this claim (nothing higher was signed), so counting
            // this one as receipted and adding the price pays it at most one price too much, and unsticks the
            // channel (else every later claim would be refused the same way).
            boolean holdsMore = e.code().equals("replayed") || e.code().equals("decreasing")
                || e.code().equals("underpaid");
            if (holdsMore && !freshTried) {
              platforms.acknowledged(channel, pay.claim().drops());
              pay = platforms.claim(channel, r.price());
              journal.platformClaim(r.requestId(), pay.claim());
              freshTried = true;
              attempt = 0;
              continue;
            }
            return decide(r, Optional.empty(), e.code(), e.getMessage());
          } catch (IOException e) {
            if (attempt >= attempts) {
              return decide(r, Optional.empty(), "platform_unreachable", "platform " + platform
                  + " did not answer: " + e.getMessage());
            }
            Thread.sleep(Duration.ofMillis(500L << attempt));
          }
        }
      } finally {
        lock.unlock();
      }
    } catch (HubRefusal e) {
      return decide(r, Optional.empty(), e.code(), e.getMessage());
    } catch (PaymentRejectedException e) {
      return decide(r, Optional.empty(), "liquidity", "this hub could not pay platform " + platform + ": "
          + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return decide(r, Optional.empty(), "platform_unreachable", "interrupted while waiting for the platform");
    } catch (RuntimeException e) {
      // e.g. the platform's malformed answer or a failed write of the platform claim: the user keeps the value
      LOG.log(Level.WARNING, "event=hub_forward_failed request=" + r.requestId(), e);
      return decide(r, Optional.empty(), "hub_error", "this hub could not complete the purchase: " + e);
    }
  }

  /** Journals the decision of {@code r} with its signed statement; then the user's account reflects it. */
  private HubAnswer decide(HubJournal.Row r, Optional<Receipt> receipt, String code, String message) {
    Account a = account(r.channel());
    a.lock.lock();
    try {
      long consumed = a.consumed + (receipt.isPresent() ? r.cost() : 0);
      long authorised = authorised(r.channel()); // before the direct sales, as in purchase()
      HubStatement s = HubStatement.sign(key, receipt.isPresent() ? HubStatement.Kind.ACK
          : HubStatement.Kind.CREDIT_NOTE, r.requestId(), r.channel(), authorised,
          consumed + journal.directSales(r.channel()), r.cid(), r.platform(), r.cost(), clock.instant());
      Optional<String> wire = receipt.map(Receipt::encode);
      journal.decide(r.requestId(), receipt.isPresent() ? HubAnswer.DELIVERED : HubAnswer.CREDITED, wire, s,
          receipt.isPresent() ? Optional.empty() : Optional.of(code),
          receipt.isPresent() ? Optional.empty() : Optional.of(message));
      a.consumed = consumed;
      a.inFlight.remove(r.requestId());
      return receipt.isPresent() ? HubAnswer.delivered(wire.get(), s) : HubAnswer.credited(s, code, message);
    } finally {
      a.lock.unlock();
    }
  }

  /**
   * Decides every request a crash left pending, oldest first: its journaled claim to the platform is sent again
   * (a platform that took it answers with the same receipt, see {@code SoldBefore}); one that never got a claim is
   * forwarded now. A platform still unreachable after a few tries (about half a minute) leaves it credited.
   */
  private void recover(java.util.List<HubJournal.Row> pending) {
    for (HubJournal.Row r : pending) {
      try {
        HubAnswer a = forward(r, RECOVERY_ATTEMPTS);
        LOG.info("event=hub_request_recovered request=" + r.requestId() + " status=" + a.status());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "event=hub_recovery_failed request=" + r.requestId(), e);
      }
    }
  }

  /** Whether every request pending at start has been decided. */
  public boolean recovered() {
    return !recovery.isAlive();
  }

  /** Tells {@code l} of every later decision and refusal (one listener: the node's metrics). */
  public void listen(HubListener l) {
    this.listener = l == null ? HubListener.NONE : l;
  }

  /** Purchases forwarded and not yet decided, over every user channel. */
  public int inFlight() {
    int n = 0;
    for (Account a : accounts.values()) {
      a.lock.lock();
      try {
        n += a.inFlight.size();
      } finally {
        a.lock.unlock();
      }
    }
    return n;
  }

  /**
   * What users' channels to this hub authorise and have not spent, summed over them: the best claim of each, less
   * what it consumed through the hub and paid this node directly (in-flight purchases are still counted as
   * credit). An aggregate, for {@code /metrics}: one figure for the operator, nothing per user.
   */
  public long outstandingCredit() {
    java.util.Set<String> users = new java.util.HashSet<>(accounts.keySet());
    for (PayeeChannels.View v : payee.channels()) {
      if (v.peer() == null) { // a user's channel (a node's payout channel to us names its peer)
        users.add(v.terms().id());
      }
    }
    Map<String, Long> direct = journal.directSalesByChannel();
    long credit = 0;
    for (String channel : users) {
      long consumed = direct.getOrDefault(channel, 0L);
      Account a = accounts.get(channel);
      if (a != null) {
        a.lock.lock();
        try {
          consumed += a.consumed;
        } finally {
          a.lock.unlock();
        }
      }
      credit += Math.max(0, authorised(channel) - consumed);
    }
    return credit;
  }

  private long authorised(String channel) {
    return payee.channel(channel).map(PayeeChannels.View::best).orElse(0L);
  }

  private Account account(String channel) {
    return accounts.computeIfAbsent(channel, k -> new Account());
  }

  @Override
  public void close() {
    recovery.interrupt();
  }
}
