package io.fedsearch.reputation.service;

import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.reputation.attest.Attestation;
import io.fedsearch.reputation.attest.AttestationIssuer;
import io.fedsearch.reputation.attest.AttestationVerifier;
import io.fedsearch.reputation.model.CreatorObservation;
import io.fedsearch.reputation.model.InMemoryCreatorDirectory;
import io.fedsearch.reputation.model.PlatformEdge;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.ReputationConfig;
import io.fedsearch.reputation.model.ReputationLimits;
import io.fedsearch.reputation.model.SignalObservation;
import io.fedsearch.reputation.score.CreatorScore;
import io.fedsearch.reputation.score.PlatformContribution;
import io.fedsearch.reputation.score.ScoreEngine;
import io.fedsearch.reputation.score.ScoreResult;
import io.fedsearch.reputation.score.SignalTable;
import io.fedsearch.reputation.store.ReputationStore;
import io.fedsearch.reputation.trust.PlatformTrust;
import io.fedsearch.reputation.trust.TrustScores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node's reputation: accepts inputs (signal releases, CID → creator, platform payments), persists them before
 * acknowledging, recomputes trust and all scores on demand, and answers lookups from an immutable in-memory
 * snapshot (so search can read a score per result without locks or I/O).
 *
 * <p>Thread safety: writers are serialised; readers see the last completed {@link #recompute} atomically.
 */
public final class ReputationService implements AutoCloseable {
  /** Epochs of history in a report unless asked otherwise. */
  public static final int DEFAULT_HISTORY = 30;
  public static final int MAX_HISTORY = 365;

  private final ReputationStore store;
  /**
   * Guards the book and keeps the store and the book in step. A lock rather than {@code synchronized}: ingesting and
   * recomputing write to SQLite, which inside a monitor would pin a virtual thread to its carrier.
   */
  private final ReentrantLock lock = new ReentrantLock();
  private final ReputationConfig config;
  private final ScoreEngine engine;
  private final Optional<AttestationIssuer> issuer;
  private final InputBook book = new InputBook();
  private volatile Snapshot snapshot;
  /** Started on first use ({@link #creatorBatches()}); guarded by {@link #lock}. */
  private CreatorBatches batches;
  /** Set by {@link #close()}; guarded by {@link #lock}. */
  private boolean closed;

  /** What a recompute produced; immutable once published. */
  private record Snapshot(long epoch, List<String> creators, Map<String, Integer> creatorIds, ScoreResult result,
      SignalTable table, double[] weights, List<NodePublicKey> platforms, TrustScores trust, int[] ranking) {}

  private ReputationService(ReputationStore store, ReputationConfig config, Optional<AttestationIssuer> issuer) {
    this.store = store;
    this.config = config;
    this.engine = new ScoreEngine(config);
    this.issuer = issuer;
  }

  /**
   * Opens the reputation of the node in {@code nodeDir} with {@code config} (stored, replacing any earlier one)
   * and the node's signer; when the config names no pre-trusted platform, the node itself is pre-trusted. Loads
   * stored inputs and recomputes at the stored epoch.
   */
  public static ReputationService open(Path nodeDir, ReputationConfig config, RecordSigner signer) {
    AttestationIssuer iss = new AttestationIssuer(signer);
    ReputationConfig effective = config.pretrusted().isEmpty() ? config.withPretrusted(Set.of(iss.issuer())) : config;
    ReputationStore store = ReputationStore.open(nodeDir);
    store.saveConfig(effective);
    return load(store, effective, Optional.of(iss));
  }

  /** Opens an existing node's reputation with its stored config; {@code signer} may be null (no attestations). */
  public static ReputationService openExisting(Path nodeDir, RecordSigner signer) {
    if (!ReputationStore.exists(nodeDir)) {
      throw new IllegalArgumentException("no " + ReputationStore.FILE + " in " + nodeDir
          + " (is it a node directory whose node has started?)");
    }
    ReputationStore store = ReputationStore.open(nodeDir);
    ReputationConfig cfg = store.config().orElseThrow(() -> new IllegalStateException(
        nodeDir.resolve(ReputationStore.FILE) + " has no stored reputation config"));
    return load(store, cfg, Optional.ofNullable(signer).map(AttestationIssuer::new));
  }

  private static ReputationService load(ReputationStore store, ReputationConfig cfg, Optional<AttestationIssuer> iss) {
    ReputationService s = new ReputationService(store, cfg, iss);
    store.forEachCreator(s.book::putCreator);
    Map<List<Object>, List<SignalObservation>> byRelease = new HashMap<>();
    store.forEachObservation(o -> byRelease.computeIfAbsent(List.of(o.platform(), o.epoch()), k -> new ArrayList<>())
        .add(o));
    byRelease.forEach((k, rows) -> s.book.replaceRelease((NodePublicKey) k.get(0), (Long) k.get(1), rows));
    Map<List<Object>, List<CreatorObservation>> byCreatorRelease = new HashMap<>();
    store.forEachCreatorObservation(o -> byCreatorRelease.computeIfAbsent(List.of(o.platform(), o.epoch()),
        k -> new ArrayList<>()).add(o));
    byCreatorRelease.forEach((k, rows) -> s.book.replaceCreatorRelease((NodePublicKey) k.get(0), (Long) k.get(1),
        rows));
    store.edges().forEach(s.book::putEdge);
    long epoch = store.epoch().orElse(Math.max(0, s.book.latestEpoch()));
    s.recompute(epoch);
    return s;
  }

  public ReputationConfig config() {
    return config;
  }

  /** The signing platform's key, when this service can issue attestations. */
  public Optional<NodePublicKey> issuer() {
    return issuer.map(AttestationIssuer::issuer);
  }

  /**
   * Accepts {@code platform}'s release for {@code epoch} (already signature-checked by the caller), replacing any
   * earlier one; durable before it returns. Every row must belong to that platform and epoch.
   */
  public void ingestRelease(NodePublicKey platform, long epoch, List<SignalObservation> rows) {
    lock.lock();
    try {
      if (rows.size() > ReputationLimits.ROWS_PER_RELEASE) {
        throw new IllegalArgumentException("release has " + rows.size() + " rows, more than the limit "
            + ReputationLimits.ROWS_PER_RELEASE);
      }
      Set<String> seen = new HashSet<>();
      for (SignalObservation o : rows) {
        if (!o.platform().equals(platform) || o.epoch() != epoch) {
          throw new IllegalArgumentException("release of " + platform + " epoch " + epoch + " contains a row of "
              + o.platform() + " epoch " + o.epoch());
        }
        if (!seen.add(o.cid())) {
          throw new IllegalArgumentException("release of " + platform + " epoch " + epoch + " lists cid " + o.cid()
              + " twice");
        }
      }
      store.replaceRelease(platform, epoch, rows);
      book.replaceRelease(platform, epoch, rows);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Accepts {@code platform}'s creator-unit rows for {@code epoch} (from a release already signature-checked by the
   * caller, creator keys resolved to names), replacing any earlier ones; durable before it returns. Where a platform's
   * release has a creator's row, scores read it instead of that platform's CID rows of the creator for the epoch.
   */
  public void ingestCreatorRelease(NodePublicKey platform, long epoch, List<CreatorObservation> rows) {
    lock.lock();
    try {
      if (rows.size() > ReputationLimits.ROWS_PER_RELEASE) {
        throw new IllegalArgumentException("release has " + rows.size() + " creator rows, more than the limit "
            + ReputationLimits.ROWS_PER_RELEASE);
      }
      Set<String> seen = new HashSet<>();
      for (CreatorObservation o : rows) {
        if (!o.platform().equals(platform) || o.epoch() != epoch) {
          throw new IllegalArgumentException("release of " + platform + " epoch " + epoch
              + " contains a creator row of " + o.platform() + " epoch " + o.epoch());
        }
        if (!seen.add(o.creator())) {
          throw new IllegalArgumentException("release of " + platform + " epoch " + epoch + " lists creator "
              + o.creator() + " twice");
        }
      }
      store.replaceCreatorRelease(platform, epoch, rows);
      book.replaceCreatorRelease(platform, epoch, rows);
    } finally {
      lock.unlock();
    }
  }

  /** Every creator name this node knows (from entries and creator rows): what creator keys resolve against. */
  public List<String> creatorNames() {
    lock.lock();
    try {
      return List.copyOf(book.creators);
    } finally {
      lock.unlock();
    }
  }

  /** Records the creator of {@code cid} (from a verified signed entry); durable before it returns. */
  public void putCreator(String cid, String creator) {
    lock.lock();
    try {
      putCreators(Map.of(cid, creator));
    } finally {
      lock.unlock();
    }
  }

  /** Records many CID → creator pairs at once (one transaction). */
  public void putCreators(Map<String, String> cidToCreator) {
    lock.lock();
    try {
      List<String[]> pairs = new ArrayList<>(cidToCreator.size());
      cidToCreator.forEach((cid, creator) -> {
        InMemoryCreatorDirectory.validate(cid, creator);
        pairs.add(new String[] {cid, creator});
      });
      store.putCreators(pairs);
      pairs.forEach(p -> book.putCreator(p[0], p[1]));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Where a search reports the CID → creator pairs it verified: they are written in background batches, so the
   * search never waits for the database (see {@link CreatorBatches}). Closed with this service.
   */
  public CreatorBatches creatorBatches() {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("reputation service is closed");
      }
      if (batches == null) {
        batches = new CreatorBatches(this);
      }
      return batches;
    } finally {
      lock.unlock();
    }
  }

  /** Sets the total paid from one platform to another (latest total wins); durable before it returns. */
  public void putEdges(List<PlatformEdge> edges) {
    lock.lock();
    try {
      store.putEdges(edges);
      edges.forEach(book::putEdge);
    } finally {
      lock.unlock();
    }
  }

  /** Recomputes at the latest epoch any release carries. */
  public long recompute() {
    long e;
    lock.lock();
    try {
      e = Math.max(0, book.latestEpoch());
    } finally {
      lock.unlock();
    }
    recompute(e);
    return e;
  }

  /** Recomputes trust and every score as of {@code epoch}, stores the scores, and publishes the new snapshot. */
  public void recompute(long epoch) {
    lock.lock();
    try {
      if (epoch < 0 || epoch > ReputationLimits.MAX_EPOCH) {
        throw new IllegalArgumentException("epoch out of range: " + epoch);
      }
      TrustScores trust = PlatformTrust.compute(book.platforms, book.edges(), config.pretrusted(),
          config.trustDamping(), config.trustIterations(), config.trustTolerance());
      List<NodePublicKey> platforms = List.copyOf(book.platforms);
      double[] weights = new double[platforms.size()];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = trust.weight(platforms.get(i));
      }
      SignalTable table = book.table();
      ScoreResult result = engine.computeAll(table, weights, (int) epoch);
      List<String> creators = List.copyOf(book.creators);
      Snapshot s = new Snapshot(epoch, creators, Map.copyOf(book.creatorIds), result, table, weights, platforms, trust,
          rank(result.score()));
      store.replaceScores(() -> new java.util.Iterator<>() {
        int i = 0;

        @Override
        public boolean hasNext() {
          return i < creators.size();
        }

        @Override
        public ReputationStore.StoredScore next() {
          int c = i++;
          return new ReputationStore.StoredScore(creators.get(c), epoch, result.score()[c], result.lo()[c],
              result.hi()[c], result.evidence()[c]);
        }
      });
      store.saveEpoch(epoch);
      snapshot = s;
    } finally {
      lock.unlock();
    }
  }

  /** Creator indices by descending score (ties by index); primitive sort on packed keys. */
  private static int[] rank(float[] score) {
    long[] keys = new long[score.length];
    for (int c = 0; c < score.length; c++) {
      // non-negative floats order like their bit patterns; invert for descending
      keys[c] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(score[c])) << 32) | c;
    }
    Arrays.sort(keys);
    int[] out = new int[score.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) keys[i];
    }
    return out;
  }

  /** The epoch of the current snapshot. */
  public long epoch() {
    return snapshot.epoch();
  }

  public TrustScores trust() {
    return snapshot.trust();
  }

  /** Fast lookup for search results: no I/O, no locks. Empty for a creator with no known entry. */
  public Optional<ScoreSummary> lookup(String creator) {
    Snapshot s = snapshot;
    Integer c = creator == null ? null : s.creatorIds().get(creator);
    if (c == null) {
      return Optional.empty();
    }
    ScoreResult r = s.result();
    return Optional.of(new ScoreSummary(creator, s.epoch(), r.score()[c], r.lo()[c], r.hi()[c], r.evidence()[c]));
  }

  /**
   * The full report for {@code creator}: score, interval, breakdown, the last {@code historyEpochs} epochs of
   * history, and an attestation signed by this node (when it has a signer). Empty for an unknown creator.
   */
  public Optional<CreatorReport> report(String creator, int historyEpochs) {
    if (historyEpochs < 0 || historyEpochs > MAX_HISTORY) {
      throw new IllegalArgumentException("history must be in [0, " + MAX_HISTORY + "] epochs, got " + historyEpochs);
    }
    Snapshot s = snapshot;
    Integer c = creator == null ? null : s.creatorIds().get(creator);
    if (c == null) {
      return Optional.empty();
    }
    int epoch = (int) s.epoch();
    CreatorScore now = engine.explain(s.table(), s.result().index(), c, epoch, s.weights());
    double totalCredited = 0;
    for (PlatformContribution p : now.platforms()) {
      totalCredited += p.credited();
    }
    List<CreatorReport.PlatformBreakdown> parts = new ArrayList<>();
    for (PlatformContribution p : now.platforms()) {
      NodePublicKey key = s.platforms().get(p.platform());
      double points = totalCredited > 0 ? now.score() * p.credited() / totalCredited : 0;
      parts.add(new CreatorReport.PlatformBreakdown(key.hex(), s.trust().trust(key), p.weight(), p.evidence(),
          p.credited(), points, p.payerSignal(), p.amountSignal(), p.epochs()));
    }
    parts.sort((a, b) -> Double.compare(b.credited(), a.credited()));
    List<CreatorReport.HistoryPoint> history = new ArrayList<>();
    for (int e = Math.max(0, epoch - historyEpochs + 1); e <= epoch && historyEpochs > 0; e++) {
      CreatorScore h = engine.explain(s.table(), s.result().index(), c, e, s.weights());
      history.add(new CreatorReport.HistoryPoint(e, h.score(), h.low(), h.high(), h.evidence()));
    }
    Optional<Attestation> att = issuer.map(i -> i.issue(creator, epoch, now.score(), now.low(), now.high()));
    return Optional.of(new CreatorReport(creator, epoch, now.score(), now.low(), now.high(), now.evidence(),
        now.evidenceStddev(), List.copyOf(parts), List.copyOf(history), att));
  }

  /**
   * What {@code creator}'s next point costs in more distinct paying buyers ({@link PointCost}), as JSON with the
   * platform named by its key; empty for an unknown creator.
   */
  public Optional<com.fasterxml.jackson.databind.node.ObjectNode> pointCost(String creator) {
    Snapshot s = snapshot;
    Integer c = creator == null ? null : s.creatorIds().get(creator);
    if (c == null) {
      return Optional.empty();
    }
    int epoch = (int) s.epoch();
    CreatorScore now = engine.explain(s.table(), s.result().index(), c, epoch, s.weights());
    io.fedsearch.reputation.score.PointCost cost =
        io.fedsearch.reputation.score.PointCost.of(config, s.table(), s.result().index(), c, epoch, now);
    return Optional.of(cost.toJsonNode(cost.platform() < 0 ? null : s.platforms().get(cost.platform()).hex()));
  }

  /** The leaderboard: best scores first, filtered. */
  public List<ScoreSummary> top(LeaderboardQuery q) {
    Snapshot s = snapshot;
    ScoreResult r = s.result();
    int platform = q.platform().map(k -> s.platforms().indexOf(k)).orElse(-2);
    List<ScoreSummary> out = new ArrayList<>();
    if (platform == -1) {
      return out;
    }
    for (int c : s.ranking()) {
      if (out.size() >= q.top() || r.score()[c] < q.minScore()) {
        break;
      }
      if (r.evidence()[c] < q.minEvidence()) {
        continue;
      }
      if (platform >= 0 && !hasEvidenceFrom(s, c, platform)) {
        continue;
      }
      out.add(new ScoreSummary(s.creators().get(c), s.epoch(), r.score()[c], r.lo()[c], r.hi()[c],
          r.evidence()[c]));
    }
    return out;
  }

  private boolean hasEvidenceFrom(Snapshot s, int creator, int platform) {
    CreatorScore cs = engine.explain(s.table(), s.result().index(), creator, (int) s.epoch(), s.weights());
    for (PlatformContribution p : cs.platforms()) {
      if (p.platform() == platform && p.evidence() > 0) {
        return true;
      }
    }
    return false;
  }

  /** Verification of {@code POST /api/attestations/verify}: the signature, and how much this node trusts the issuer. */
  public record Verification(AttestationVerifier.Result result, double issuerTrust, double issuerWeight) {}

  public Verification verify(String attestationJson) {
    AttestationVerifier.Result r = AttestationVerifier.verify(attestationJson);
    if (r.attestation() == null) {
      return new Verification(r, 0, 0);
    }
    TrustScores t = snapshot.trust();
    return new Verification(r, t.trust(r.attestation().issuer()), t.weight(r.attestation().issuer()));
  }

  /** Number of creators known (with at least one CID). */
  public int creators() {
    return snapshot.creators().size();
  }

  @Override
  public void close() {
    CreatorBatches b;
    lock.lock();
    try {
      b = batches;
      closed = true;
    } finally {
      lock.unlock();
    }
    if (b != null) {
      b.close(); // outside the lock: its last batch takes it
    }
    store.close();
  }
}
