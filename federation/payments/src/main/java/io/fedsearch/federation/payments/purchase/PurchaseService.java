package io.fedsearch.federation.payments.purchase;

import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.payee.PayeeChannels;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.watch.AnomalyDetector;
import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sells content: a purchase is a cumulative claim from the user to this platform for at least the price, plus the
 * attribution token of the node that served the search result. Checks that the CID is a live listing of this
 * platform and the price is the listing's ({@link Listings}), the token (signature, expiry, validity cap, CID,
 * reuse policy), accepts the claim (journaled with the sale, the token use and the discovery fee in one durable
 * transaction), then returns a receipt signed by this platform and tells the {@link PaymentListener}s.
 */
public final class PurchaseService {
  private static final Logger LOG = Logger.getLogger(PurchaseService.class.getName());

  /**
   * A purchase. {@code channelCreate}: the signed PaymentChannelCreate of a channel this platform does not know
   * yet (embedded mode), or empty. {@code holder}: the buyer's receipt key the receipt names (a purchase through a
   * hub, whose channel pays), or null.
   */
  public record Request(Claim claim, Cid cid, long price, String attributionToken, Optional<String> channelCreate,
      NodePublicKey holder) {
    /** A purchase whose receipt names no holder. */
    public Request(Claim claim, Cid cid, long price, String attributionToken, Optional<String> channelCreate) {
      this(claim, cid, price, attributionToken, channelCreate, null);
    }
  }

  /** Tokens issued more than this ahead of our clock are refused (a little clock skew between nodes is normal). */
  public static final Duration TOKEN_CLOCK_SKEW = Duration.ofMinutes(1);

  private final PaymentsDb db;
  private final PayeeChannels payee;
  private final NodeKey platformKey;
  private final PaymentsConfig config;
  private final AnomalyDetector anomalies;
  private final FeeBook fees;
  private final Clock clock;
  private final TokenUses tokenUses;
  private volatile Listings listings = Listings.none();
  private final List<PaymentListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService completions = Executors.newFixedThreadPool(
      Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "purchase-completion");
        t.setDaemon(true);
        return t;
      });

  public PurchaseService(PaymentsDb db, PayeeChannels payee, NodeKey platformKey, FeeBook fees,
      AnomalyDetector anomalies, PaymentsConfig config, Clock clock) {
    this.db = db;
    this.payee = payee;
    this.platformKey = platformKey;
    this.fees = fees;
    this.anomalies = anomalies;
    this.config = config;
    this.clock = clock;
    this.tokenUses = new TokenUses(db, clock.instant());
  }

  /** What this platform sells; until set, every purchase is refused as not listed. */
  public void sellFrom(Listings catalog) {
    this.listings = java.util.Objects.requireNonNull(catalog);
  }

  public void addListener(PaymentListener l) {
    listeners.add(l);
  }

  /** Completes a purchase or throws {@link PaymentRejectedException} with the reason. */
  public Receipt purchase(Request r) {
    try {
      return purchaseAsync(r).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /**
   * Told of each purchase's outcome when it completes (the node's metrics and event log): {@code rejection} is null
   * when the sale is durable, else the {@link Rejection}'s wire name ({@code "error"} for anything else) and
   * {@code detail} the message the payer got; {@code nanos} from arrival to outcome. Must not block.
   */
  public interface OutcomeListener {
    void onOutcome(Request request, String rejection, String detail, long nanos);
  }

  private volatile OutcomeListener outcomes = (request, rejection, detail, nanos) -> {};

  /** Sets the one {@link OutcomeListener}. */
  public void onOutcome(OutcomeListener listener) {
    this.outcomes = listener;
  }

  /** As {@link #purchase}, completing when the sale is durable (lets many purchases share one group commit). */
  public CompletableFuture<Receipt> purchaseAsync(Request r) {
    long start = System.nanoTime();
    CompletableFuture<Receipt> f = accept(r);
    OutcomeListener l = outcomes;
    f.whenComplete((ok, err) -> {
      Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      l.onOutcome(r, err == null ? null : cause instanceof PaymentRejectedException p ? p.reason().wireName() : "error",
          err == null ? null : String.valueOf(cause.getMessage()), System.nanoTime() - start);
    });
    return f;
  }

  private CompletableFuture<Receipt> accept(Request r) {
    try {
      Optional<Receipt> again = SoldBefore.receipt(db, payee, platformKey, r);
      if (again.isPresent()) {
        return CompletableFuture.completedFuture(again.get());
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    PreparedSale sale;
    try {
      sale = check(r, true);
    } catch (PaymentRejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
    // Completion runs off the group-commit thread: receipts are signed and listeners told in parallel, and a
    // hold (a synchronous write) cannot wait on the thread that would perform it.
    return payee.acceptAsync(r.claim(), r.price(), sale.write()).handleAsync((accepted, err) -> {
      if (err != null) {
        sale.abandon();
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
      }
      sale.completed();
      return sale.receipt();
    }, completions);
  }

  /**
   * Checks {@code r} as a purchase is checked — listing, price, attribution token, its reuse — without taking a
   * claim: for a sale paid from value this node already holds over the buyer's channel (a hub selling its own
   * listing to a user whose claim to the hub covers it). The caller runs {@link PreparedSale#write()} in the
   * transaction that also shows that value is there, then calls {@link PreparedSale#completed()}, or
   * {@link PreparedSale#abandon(Throwable)} when that transaction failed. The outcome is reported like any
   * purchase's.
   */
  public PreparedSale prepare(Request r) {
    long start = System.nanoTime();
    try {
      PreparedSale sale = check(r, false);
      sale.reportTo(outcomes, start);
      return sale;
    } catch (PaymentRejectedException e) {
      outcomes.onOutcome(r, e.reason().wireName(), e.getMessage(), System.nanoTime() - start);
      throw e;
    }
  }

  /**
   * Every check of a purchase but the claim's; the token use is taken (given back by {@code abandon}). {@code learn}:
   * a channel create the request carries is learned once the token checks passed.
   */
  private PreparedSale check(Request r, boolean learn) {
    Instant now = clock.instant();
    AttributionToken token;
    if (r.price() <= 0) {
      throw new PaymentRejectedException(Rejection.MALFORMED, "price must be a positive number of drops");
    }
    checkListed(r.cid(), r.price());
    AttributionToken.Signed signed;
    try {
      signed = AttributionToken.Signed.decode(r.attributionToken());
    } catch (IllegalArgumentException e) {
      throw new PaymentRejectedException(Rejection.TOKEN_FORGED, e.getMessage());
    }
    if (!signed.verify()) {
      throw new PaymentRejectedException(Rejection.TOKEN_FORGED,
          "attribution token signature does not verify for node " + signed.token().node().hex());
    }
    token = signed.token();
    if (token.isExpired(now)) {
      throw new PaymentRejectedException(Rejection.TOKEN_EXPIRED,
          "attribution token expired at " + token.expires() + ": search again for a fresh one");
    }
    if (token.issued().isAfter(now.plus(TOKEN_CLOCK_SKEW))) {
      throw new PaymentRejectedException(Rejection.TOKEN_INVALID, "attribution token issued at " + token.issued()
          + ", ahead of this platform's time " + now + ": the serving node's clock is wrong; search again");
    }
    if (Duration.between(token.issued(), token.expires()).compareTo(config.tokenMaxValidity()) > 0) {
      throw new PaymentRejectedException(Rejection.TOKEN_INVALID, "attribution token is valid for "
          + Duration.between(token.issued(), token.expires()) + "; this platform takes tokens valid for at most "
          + config.tokenMaxValidity() + ": search again for a fresh one");
    }
    if (!token.cid().equals(r.cid())) {
      throw new PaymentRejectedException(Rejection.TOKEN_CID_MISMATCH,
          "attribution token is for " + token.cid() + ", not " + r.cid());
    }
    if (learn) {
      r.channelCreate().ifPresent(blob -> payee.learnChannelAsync(blob, null));
    }
    String tokenId = HexFormat.of().formatHex(token.id());
    String node = token.node().hex();
    String payer = payee.channel(r.claim().channel()).map(v -> v.terms().source()).orElse("");
    int uses = tokenUses.take(tokenId, token.expires(), now);
    if (uses > config.tokenMaxUses()) {
      tokenUses.giveBack(tokenId);
      // Evidence against the node only from a payer who is paying: a claim that verifies on a funded channel.
      // Anyone can replay a token they saw; counting unpaid replays would let anyone freeze a node's fees.
      if (payee.vouches(r.claim())) {
        anomalies.onTokenReuse(node, tokenId, uses, payer).ifPresent(reason -> fees.hold(token.node(), reason));
      }
      throw new PaymentRejectedException(Rejection.TOKEN_REUSED,
          "attribution token " + tokenId + " was already used for " + config.tokenMaxUses() + " purchase(s)");
    }
    // a platform that served the search itself owes nobody a discovery fee
    long fee = token.node().equals(platformKey.publicKey()) ? 0 : r.price() * config.discoveryShareBps() / 10_000;
    return new PreparedSale(this, r, token, tokenId, payer, fee, now);
  }

  /** The sale's row, its token use and its discovery fee: what {@link PreparedSale#write()} applies. */
  long insertSale(java.sql.Connection c, PreparedSale s) throws java.sql.SQLException {
    Request r = s.request();
    PreparedStatement ps = db.statement("INSERT INTO sales(cid, price, channel, claim_amount, token_id,"
        + " serving_node, payer, token_issued, fee, at, holder) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    ps.setString(1, r.cid().toString());
    ps.setLong(2, r.price());
    ps.setString(3, r.claim().channel());
    ps.setLong(4, r.claim().drops());
    ps.setString(5, s.tokenId());
    ps.setString(6, s.token().node().hex());
    ps.setString(7, s.payer());
    ps.setLong(8, s.token().issued().toEpochMilli());
    ps.setLong(9, s.fee());
    ps.setLong(10, s.atMillis());
    ps.setString(11, r.holder() == null ? null : r.holder().hex());
    ps.executeUpdate();
    long id = db.lastInsertId();
    tokenUses.record(s.tokenId(), s.token().expires());
    if (s.fee() > 0) {
      FeeBook.accrue(s.token().node(), s.fee(), s.now()).apply(c);
    }
    return id;
  }

  /** After a sale is durable: the anomaly checks and the listeners. */
  void afterSale(PreparedSale s, long saleId) {
    Request r = s.request();
    String node = s.token().node().hex();
    anomalies.onSale(s.payer(), node, r.price(), s.token().issued(), s.now())
        .ifPresent(reason -> fees.hold(s.token().node(), reason));
    PaymentEvent event = new PaymentEvent(saleId, r.cid().toString(), r.price(), s.payer(), node, s.fee(), s.now());
    for (PaymentListener l : listeners) {
      try {
        l.onPayment(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "payment listener failed for sale " + saleId, e);
      }
    }
  }

  void giveBack(PreparedSale s) {
    tokenUses.giveBack(s.tokenId());
  }

  NodeKey platformKey() {
    return platformKey;
  }

  /** The buyer's CID and price must be a live listing of this platform, at the listing's price. */
  private void checkListed(Cid cid, long price) {
    if (cid == null) {
      throw new PaymentRejectedException(Rejection.MALFORMED, "cid: missing");
    }
    Optional<Listings.Listing> listing = listings.find(cid);
    if (listing.isEmpty()) {
      throw new PaymentRejectedException(Rejection.NOT_LISTED, "this platform lists nothing under " + cid
          + ": buy a listing CID from a current search result of this platform");
    }
    if (listing.get().withdrawn()) {
      throw new PaymentRejectedException(Rejection.NOT_LISTED, cid + " was withdrawn by this platform:"
          + " search again for a current listing");
    }
    if (listing.get().priceDrops() != price) {
      throw new PaymentRejectedException(Rejection.WRONG_PRICE, "the listing " + cid + " costs "
          + listing.get().priceDrops() + " drops, not " + price + ": pay the listed price");
    }
  }

  /** Stops the completion threads (after the journal has drained). */
  public void close() {
    completions.shutdown();
  }
}
