package io.fedsearch.federation.payments.purchase;

import java.time.Instant;

/**
 * A recorded sale, as handed to {@link PaymentListener}s (the privacy module stores these encrypted and derives
 * signals from them). {@code payer} is the paying XRPL account; pseudonymising it is the listener's job.
 */
public record PaymentEvent(long saleId, String cid, long priceDrops, String payer, String servingNode,
    long discoveryFeeDrops, Instant at) {}
