/**
 * Selling content: a purchase is a claim for at least the price plus the serving node's attribution token; the sale
 * is durable together with the claim, and the buyer gets a receipt signed by the platform. Listeners (the privacy
 * module) receive a {@link io.fedsearch.federation.payments.purchase.PaymentEvent} per sale.
 */
package io.fedsearch.federation.payments.purchase;
