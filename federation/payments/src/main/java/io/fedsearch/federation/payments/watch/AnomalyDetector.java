package io.fedsearch.federation.payments.watch;

import io.fedsearch.federation.payments.PaymentsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simple check of payment patterns; each finding holds the payouts of the node concerned, with a reason (a hold
 * lapses after {@code holdExpiry} unless an operator confirms it; see {@code FeeBook}). Evidence counts only from
 * verified claims of funded payers, each payer once:
 * <ul>
 *   <li>a payer spending far above its own baseline: spend in the current window (config {@code spendWindow}) more
 *       than {@code payerBaselineFactor} × the mean of its earlier windows (after 3 windows of history) and at
 *       least {@link #MIN_ANOMALOUS_SPEND};</li>
 *   <li>a node whose attribution tokens are replayed (presented more often than the reuse policy allows) by
 *       {@link #REPLAYERS_TO_HOLD} or more different payers. One payer replaying a token is refused, but is no
 *       finding against the node: tokens are bearer receipts any user holds, and holding a node's payouts on one
 *       replay would let any user freeze any node's fees for free. Many payers presenting the same node's tokens
 *       again means the tokens are being handed around, which the node can answer for;</li>
 *   <li>a node whose referrals convert implausibly: more than {@code implausibleShare} of the (at least
 *       {@code anomalyMinSales}) distinct payers its referrals brought bought within {@code minHumanDelay} of the
 *       search. Counting payers, not sales, means one buyer making many quick purchases is not enough to freeze
 *       the node's fees.</li>
 * </ul>
 * State is in memory, bounded (the most recent {@link #MAX_PAYERS} payers and {@link #MAX_NODES} nodes, and
 * {@link #MAX_PAYERS_PER_NODE} payers per node), and rebuilt as sales come in; holds themselves are durable (in the
 * fee book).
 */
public final class AnomalyDetector {
  private static final int MIN_BASELINE_WINDOWS = 3;
  /** Below 10 XRP in a window no payer is anomalous, whatever its baseline: small buyers vary a lot. */
  public static final long MIN_ANOMALOUS_SPEND = 10_000_000;

  private static final class PayerStats {
    long window = -1;
    long current;
    long pastTotal;
    int pastWindows;
  }

  /** A node's referrals: each distinct payer, and whether any of its purchases came implausibly fast. */
  private static final class NodeStats {
    int fast;
    final BoundedLru<String, Boolean> payers = new BoundedLru<>(MAX_PAYERS_PER_NODE) {
      private static final long serialVersionUID = 1L;

      @Override
      void evicted(java.util.Map.Entry<String, Boolean> eldest) {
        if (eldest.getValue()) {
          fast--;
        }
      }
    };
  }

  public static final int MAX_PAYERS = 100_000;
  public static final int MAX_NODES = 10_000;
  public static final int MAX_PAYERS_PER_NODE = 10_000;

  private final PaymentsConfig config;
  private final BoundedLru<String, PayerStats> payers = new BoundedLru<>(MAX_PAYERS);
  private final BoundedLru<String, NodeStats> nodes = new BoundedLru<>(MAX_NODES);
  /** Node → the payers that replayed its tokens (only the count up to the threshold matters). */
  private final BoundedLru<String, java.util.Set<String>> replayers = new BoundedLru<>(MAX_NODES);
  /** Distinct payers replaying a node's tokens before its payouts are held. */
  public static final int REPLAYERS_TO_HOLD = 3;

  public AnomalyDetector(PaymentsConfig config) {
    this.config = config;
  }

  /** Records a sale; returns why the serving node's payouts should be held, if they should. */
  public Optional<String> onSale(String payer, String node, long price, Instant tokenIssued, Instant at) {
    long windowMs = Math.max(1, config.spendWindow().toMillis());
    long w = at.toEpochMilli() / windowMs;
    PayerStats p = payers.getOrCreate(payer, k -> new PayerStats());
    Optional<String> payerFinding = Optional.empty();
    synchronized (p) {
      if (p.window != w) {
        if (p.window >= 0) {
          p.pastTotal += p.current;
          p.pastWindows += (int) Math.min(Integer.MAX_VALUE, Math.max(1, w - p.window));
        }
        p.window = w;
        p.current = 0;
      }
      p.current += price;
      if (p.pastWindows >= MIN_BASELINE_WINDOWS) {
        double baseline = Math.max(1.0, (double) p.pastTotal / p.pastWindows);
        if (p.current >= MIN_ANOMALOUS_SPEND && p.current > config.payerBaselineFactor() * baseline) {
          payerFinding = Optional.of(String.format("payer %s spent %d drops this %s, %.1fx its baseline of %.0f",
              payer, p.current, config.spendWindow(), p.current / baseline, baseline));
        }
      }
    }
    if (payerFinding.isPresent()) {
      return payerFinding;
    }
    NodeStats n = nodes.getOrCreate(node, k -> new NodeStats());
    boolean fast = Duration.between(tokenIssued, at).compareTo(config.minHumanDelay()) < 0;
    synchronized (n) {
      Boolean was = n.payers.get(payer);
      if (was == null || (fast && !was)) {
        n.payers.put(payer, fast);
        if (fast) {
          n.fast++;
        }
      }
      int distinct = n.payers.size();
      if (distinct >= config.anomalyMinSales() && (double) n.fast / distinct > config.implausibleShare()) {
        return Optional.of(String.format("referrals from node %s convert implausibly: %d of %d payers bought"
            + " within %s of the search", node, n.fast, distinct, config.minHumanDelay()));
      }
    }
    return Optional.empty();
  }

  /**
   * An attribution token of {@code node} was presented by {@code payer} beyond the reuse policy (the purchase is
   * refused either way); returns why the node's payouts should be held, once enough different payers did so.
   */
  public Optional<String> onTokenReuse(String node, String tokenId, int uses, String payer) {
    java.util.Set<String> who = replayers.getOrCreate(node, k -> ConcurrentHashMap.newKeySet());
    if (who.size() < REPLAYERS_TO_HOLD) {
      who.add(payer);
    }
    if (who.size() < REPLAYERS_TO_HOLD) {
      return Optional.empty();
    }
    return Optional.of("attribution tokens of node " + node + " replayed by " + who.size() + " payers (latest: token "
        + tokenId + " presented " + uses + " times; policy allows " + config.tokenMaxUses() + ")");
  }
}
