package io.fedsearch.web.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.parameters.Parameters;

/**
 * What the node's JSON API serves, as values: the pages read the node through these, in process — the same
 * shapes and the same refusals ({@link ApiException}) as the API, without an HTTP call back to their own node and
 * a second parse. Admin views are for callers that checked the visitor is the admin.
 */
public final class NodeViews {
  private final SearchApi search;
  private final NodeApi info;
  private final SignalsApi signals;
  private final ReputationApi reputation;
  private final PaymentsApi payments;
  private final EntriesApi entries;
  private final EconomicsApi economics;

  NodeViews(SearchApi search, NodeApi info, SignalsApi signals, ReputationApi reputation, PaymentsApi payments,
      EntriesApi entries, EconomicsApi economics) {
    this.economics = economics;
    this.search = search;
    this.info = info;
    this.signals = signals;
    this.reputation = reputation;
    this.payments = payments;
    this.entries = entries;
  }

  /** {@code GET /api/search} with these parameters. */
  public ObjectNode search(Parameters query) {
    return search.search(query);
  }

  /** {@code GET /api/node}. */
  public ObjectNode node() {
    return info.info();
  }

  /** {@code GET /api/peers}. */
  public ObjectNode peers() {
    return info.peers();
  }

  /** {@code GET /api/privacy/budget}. */
  public ObjectNode budget() {
    return signals.budget();
  }

  /** {@code GET /api/reputation/{creator}?history=}. */
  public JsonNode creator(String creator, int history) {
    return reputation.creator(creator, history);
  }

  /** {@code POST /api/attestations/verify}. */
  public JsonNode verifyAttestation(String attestation) {
    return reputation.verify(attestation);
  }

  /** {@code GET /api/entries/{cid}}. */
  public ObjectNode entry(String cid) {
    return entries.entry(cid);
  }

  /** {@code GET /api/wallet}. */
  public ObjectNode wallet() {
    return payments.wallet();
  }

  /** {@code GET /api/channels} (admin). */
  public ObjectNode channels() {
    return payments.channels();
  }

  /** {@code GET /api/payouts?limit=} (admin). */
  public JsonNode payouts(int limit) {
    return payments.payouts(limit);
  }

  /** {@code GET /api/outbox} (admin). */
  public ObjectNode outbox() {
    return payments.outbox();
  }

  /** {@code POST /api/outbox/submit} (admin). */
  public ObjectNode submitOutbox() {
    return payments.submit();
  }

  /** {@code GET /api/economics?days=} (admin). */
  public JsonNode economics(int days) {
    return economics.economics(days);
  }
}
