/**
 * Payments over XRP Ledger payment channels: users pay platforms with cumulative off-ledger claims, platforms pay
 * the nodes that surfaced the content a discovery fee the same way, mutual fees are netted, and each channel's best
 * claim is settled on the ledger in batches.
 *
 * <p>{@link io.fedsearch.federation.payments.Payments} assembles one node's payments from its directory and
 * {@link io.fedsearch.federation.payments.PaymentsConfig}. The sub-packages, one concern each:
 * <ul>
 *   <li>{@code wallet}: the node's XRPL account key (Tink-encrypted seed) and signed transactions;</li>
 *   <li>{@code channel}: claims, channel ids, terms, offline signature verification, rejection reasons;</li>
 *   <li>{@code journal}: {@code payments.db} with group commit — nothing is acknowledged before it is durable;</li>
 *   <li>{@code payee}: accepting claims and learning channels; settlement into the outbox;</li>
 *   <li>{@code payer}: channels we fund (open, authorise, top up, close) and users' channels;</li>
 *   <li>{@code ledger}: the rippled client, the outbox of signed transactions and the submitter;</li>
 *   <li>{@code purchase}: sales with attribution tokens, receipts, payment events;</li>
 *   <li>{@code payout}: discovery fees, the payout protocol and its transport, netting;</li>
 *   <li>{@code netting}: multilateral set-off — debt cycles found and cancelled with statements every party
 *       signs;</li>
 *   <li>{@code watch}: channel metrics, warnings and anomaly holds;</li>
 *   <li>{@code bench}: the {@code fedsearch bench payouts} workload.</li>
 * </ul>
 *
 * <p>Amounts are XRP drops throughout. A claim's amount is always the cumulative total authorised over its channel,
 * never an increment, so a lost or repeated message is harmless: the next claim covers it, and a repeat is refused
 * as {@code replayed}. See federation/README.md ("payments") for the wire messages and how the node wires this in.
 */
package io.fedsearch.federation.payments;
