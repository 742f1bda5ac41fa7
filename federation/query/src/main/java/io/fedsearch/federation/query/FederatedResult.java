package io.fedsearch.federation.query;

import io.fedsearch.indexer.entry.SignedEntry;
import java.time.Instant;
import java.util.List;

/**
 * The answer to a user's query: works ranked, each listing every platform that hosts it, and the status of every
 * node asked — so a user sees who answered, how fast, and who did not.
 *
 * <p>A {@code cached} answer is one given at {@code answeredAt} and reused (only while the same set of index peers
 * is connected): its node statuses say what the nodes did then, not now, and must be shown as such.
 */
public record FederatedResult(
    String query, String merge, String operator, boolean relaxed, long totalHits, List<Work> works,
    List<NodeStatus> nodes, double tookMs, boolean cached, Instant answeredAt) {

  /**
   * What one node did for this query. {@code status}: ok, skipped (known to match nothing at its current index
   * version, so not asked — {@code error} says which), timeout, error, backed_off.
   */
  public record NodeStatus(String peer, String platform, String status, int hits, double tookMs, int forged,
      boolean hedge, String error) {
    public static final String OK = "ok";
    public static final String SKIPPED = "skipped";

    /** Whether this node's part of the answer is complete: it answered, or had nothing to answer. */
    public boolean complete() {
      return OK.equals(status) || SKIPPED.equals(status);
    }
  }

  /** One listing of a work: the verified entry, who served it, its text score, and the discovery receipt. */
  public record Listing(SignedEntry entry, String peer, float textScore, String attributionToken) {}

  /**
   * A work (entries sharing a content CID, or one entry): final score, text score, signals used, and its
   * listings, best first.
   */
  public record Work(String key, double score, double textScore, Double paymentSignal, Double reputation,
      List<Listing> listings) {}
}
