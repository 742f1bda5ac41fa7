package io.fedsearch.federation.payments.purchase;

import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import java.time.Instant;

/**
 * A purchase that passed every check of {@link PurchaseService} (listing, price, attribution token and its reuse)
 * and is ready to be written: {@link #write()} inserts the sale, its token use and the discovery fee owed to the
 * node that surfaced it, in whatever transaction the caller runs it (with the claim that pays for it, or with the
 * hub journal's proof that the buyer's channel already covers it). Once that transaction is durable the caller
 * calls {@link #completed()} and may ask for the {@link #receipt()}; if it failed, {@link #abandon(Throwable)}.
 */
public final class PreparedSale {
  private final PurchaseService service;
  private final PurchaseService.Request request;
  private final AttributionToken token;
  private final String tokenId;
  private final String payer;
  private final long fee;
  private final Instant now;
  private volatile long saleId = -1;
  private PurchaseService.OutcomeListener outcomes;
  private long start;

  PreparedSale(PurchaseService service, PurchaseService.Request request, AttributionToken token, String tokenId,
      String payer, long fee, Instant now) {
    this.service = service;
    this.request = request;
    this.token = token;
    this.tokenId = tokenId;
    this.payer = payer;
    this.fee = fee;
    this.now = now;
  }

  /** Inserts the sale (sets its id), its token use and its discovery fee; run inside one journal transaction. */
  public PaymentsDb.Write write() {
    return c -> saleId = service.insertSale(c, this);
  }

  /**
   * The receipt of the sale, signed by this platform, naming the request's holder. Deterministic (Ed25519), so the
   * same sale always gets the same bytes; valid once {@link #write()} has run, also inside its transaction.
   */
  public Receipt receipt() {
    if (saleId < 0) {
      throw new IllegalStateException("the sale was not written");
    }
    return Receipt.sign(service.platformKey(), saleId, request.cid(), request.price(), request.claim().channel(),
        request.claim().drops(), tokenId, token.node(), Instant.ofEpochMilli(atMillis()), request.holder());
  }

  /** After the write is durable: anomaly checks, payment listeners, the outcome. */
  public void completed() {
    service.afterSale(this, saleId);
    if (outcomes != null) {
      outcomes.onOutcome(request, null, null, System.nanoTime() - start);
    }
  }

  /** The write failed (or never ran): the token use is given back. */
  public void abandon(Throwable why) {
    service.giveBack(this);
    if (outcomes != null) {
      outcomes.onOutcome(request, why instanceof io.fedsearch.federation.payments.channel.PaymentRejectedException p
          ? p.reason().wireName() : "error", String.valueOf(why.getMessage()), System.nanoTime() - start);
    }
  }

  /** As {@link #abandon(Throwable)}, for the purchase path that reports its own outcome. */
  void abandon() {
    service.giveBack(this);
  }

  void reportTo(PurchaseService.OutcomeListener listener, long startNanos) {
    this.outcomes = listener;
    this.start = startNanos;
  }

  PurchaseService.Request request() {
    return request;
  }

  AttributionToken token() {
    return token;
  }

  String tokenId() {
    return tokenId;
  }

  String payer() {
    return payer;
  }

  long fee() {
    return fee;
  }

  Instant now() {
    return now;
  }

  long atMillis() {
    return now.toEpochMilli();
  }
}
