package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far this node trusts each peer's answers, from what they did: good answers, failures, timeouts and — worst —
 * forged or mismatched entries. A peer that keeps failing is backed off (exponentially, capped) and asked again
 * once its back-off ends, or at once when it connects again ({@link #reconnected}: a node that was down earned its
 * back-off by being down, and is back); a good answer then restores it step by step. Forgeries weigh more than
 * failures, are never forgotten from the counters, which stay visible per peer, and their back-off is not lifted by
 * reconnecting (else a forger would just redial).
 */
public final class PeerStanding {
  /** Consecutive failures that start a back-off. */
  public static final int FAILURES_BEFORE_BACKOFF = 3;
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  /**
   * A peer's record. {@code score} runs from 0 (distrusted) to 1 (fully trusted); new peers start at 0.8.
   * {@code busy} counts the requests it refused because it was busy.
   */
  public record Record(PeerId peer, String platform, String replicaSet, long answers, long failures, long timeouts,
      long forged, long busy, int consecutiveFailures, double score, double latencyMs, Instant backedOffUntil,
      String lastError) {

    public boolean backedOff(Instant now) {
      return backedOffUntil != null && now.isBefore(backedOffUntil);
    }
  }

  private final Map<PeerId, Record> records = new ConcurrentHashMap<>();
  /** Until when a peer is backed off for forged entries: a back-off {@link #reconnected} does not lift. */
  private final Map<PeerId, Instant> forgedUntil = new ConcurrentHashMap<>();
  private final Duration firstBackoff;
  private final Duration maxBackoff;

  /**
   * Told of each missed answer once it is counted, with the peer's record after it: {@code kind} is
   * {@code failure}, {@code timeout}, {@code busy} or {@code forged}. For the node's event log; must not block.
   */
  public interface MissListener {
    void missed(Record after, String kind);
  }

  private volatile MissListener missListener = (after, kind) -> {};

  public PeerStanding() {
    this(FIRST_BACKOFF, MAX_BACKOFF);
  }

  /** Sets the one {@link MissListener}. */
  public void onMiss(MissListener listener) {
    this.missListener = listener;
  }

  /** Shorter back-offs make the back-off and restore cycle observable in tests; production uses the defaults. */
  PeerStanding(Duration firstBackoff, Duration maxBackoff) {
    if (firstBackoff.isNegative() || firstBackoff.isZero() || maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException("back-off: need 0 < first ≤ max");
    }
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
  }

  public Record get(PeerId peer) {
    return records.getOrDefault(peer, fresh(peer));
  }

  private static Record fresh(PeerId peer) {
    return new Record(peer, null, null, 0, 0, 0, 0, 0, 0, 0.8, Double.NaN, null, null);
  }

  public List<Record> all() {
    return records.values().stream().sorted(java.util.Comparator.comparing(r -> r.peer().toString())).toList();
  }

  public boolean available(PeerId peer, Instant now) {
    return !get(peer).backedOff(now);
  }

  /** A good answer: counts, latency average, score recovers towards 1, back-off cleared. */
  public void answered(PeerId peer, String platform, String replicaSet, double latencyMs) {
    records.compute(peer, (p, r) -> {
      Record o = r == null ? fresh(p) : r;
      double lat = Double.isNaN(o.latencyMs()) ? latencyMs : 0.8 * o.latencyMs() + 0.2 * latencyMs;
      return new Record(p, platform != null ? platform : o.platform(), replicaSet, o.answers() + 1, o.failures(),
          o.timeouts(), o.forged(), o.busy(), 0, Math.min(1.0, o.score() + 0.05), lat, null, o.lastError());
    });
  }

  public void failed(PeerId peer, String error, Instant now) {
    penalise(peer, error, now, Miss.FAILURE, 0.1);
  }

  public void timedOut(PeerId peer, Instant now) {
    penalise(peer, "timed out", now, Miss.TIMEOUT, 0.05);
  }

  /**
   * The peer refused because it was busy. That says nothing about its honesty, so its score is unchanged; but it
   * counts towards a back-off like a failure, so that a node shedding load is not asked again at once.
   */
  public void busy(PeerId peer, String why, Instant now) {
    penalise(peer, why, now, Miss.BUSY, 0);
  }

  /** Entries that did not verify: a heavy penalty and an immediate back-off. */
  public void forged(PeerId peer, int count, String error, Instant now) {
    Record after = records.compute(peer, (p, r) -> {
      Record o = r == null ? fresh(p) : r;
      int consecutive = Math.max(o.consecutiveFailures() + 1, FAILURES_BEFORE_BACKOFF);
      Instant until = now.plus(backoff(consecutive));
      forgedUntil.put(p, until);
      return new Record(p, o.platform(), o.replicaSet(), o.answers(), o.failures(), o.timeouts(), o.forged() + count,
          o.busy(), consecutive, Math.max(0, o.score() - 0.3), o.latencyMs(), until, error);
    });
    missListener.missed(after, "forged");
  }

  /**
   * The peer connected again (identify on a new connection): a back-off for failures, timeouts or refusals ends
   * now, and its run of misses starts over, so a restarted node is asked by the next query. A back-off for forged
   * entries stays.
   */
  public void reconnected(PeerId peer, Instant now) {
    Instant forged = forgedUntil.get(peer);
    if (forged != null && now.isBefore(forged)) {
      return;
    }
    forgedUntil.remove(peer, forged);
    records.computeIfPresent(peer, (p, o) -> o.backedOffUntil() == null && o.consecutiveFailures() == 0 ? o
        : new Record(p, o.platform(), o.replicaSet(), o.answers(), o.failures(), o.timeouts(), o.forged(), o.busy(),
            0, o.score(), o.latencyMs(), null, o.lastError()));
  }

  /** Drops the record of a peer no longer known; one that forged is kept (what a peer did wrong stays). */
  void forget(PeerId peer) {
    records.computeIfPresent(peer, (p, r) -> r.forged() > 0 ? r : null);
    if (!records.containsKey(peer)) {
      forgedUntil.remove(peer);
    }
  }

  /** A call that brought no answer, by what it counts as. */
  private enum Miss { FAILURE, TIMEOUT, BUSY }

  /** Counts {@code miss}, lowers the score by {@code cost}, and backs off after enough misses in a row. */
  private void penalise(PeerId peer, String error, Instant now, Miss miss, double cost) {
    Record after = records.compute(peer, (p, r) -> {
      Record o = r == null ? fresh(p) : r;
      int consecutive = o.consecutiveFailures() + 1;
      Instant until = consecutive >= FAILURES_BEFORE_BACKOFF ? now.plus(backoff(consecutive)) : null;
      return new Record(p, o.platform(), o.replicaSet(), o.answers(), o.failures() + (miss == Miss.FAILURE ? 1 : 0),
          o.timeouts() + (miss == Miss.TIMEOUT ? 1 : 0), o.forged(), o.busy() + (miss == Miss.BUSY ? 1 : 0),
          consecutive, Math.max(0, o.score() - cost), o.latencyMs(), until, error);
    });
    missListener.missed(after, miss.name().toLowerCase(java.util.Locale.ROOT));
  }

  Duration backoff(int consecutiveFailures) {
    int doublings = Math.max(0, Math.min(20, consecutiveFailures - FAILURES_BEFORE_BACKOFF));
    Duration d = firstBackoff.multipliedBy(1L << doublings);
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}
