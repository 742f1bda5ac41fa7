package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.indexer.index.EntryIndex.VersionedStats;
import io.fedsearch.indexer.search.QueryTerms;
import io.fedsearch.indexer.search.TermVocabulary;
import io.fedsearch.indexer.search.VocabularyPage;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Each peer's whole vocabulary ({@link TermVocabulary}: every term of its searched fields with its statistics, at
 * one index version), fetched over {@value VocabularyWire#PROTOCOL} in the background. With it, the statistics of
 * any query of fixed terms ({@link QueryTerms}) — also one never asked before — are known without a phase one,
 * and a peer lacking a term the query requires is known not to match. A vocabulary is used only while it is of the
 * peer's current index version (the same version check as all cached statistics, see {@link StatsPhase}).
 *
 * <p>Fetching never delays a query: a query that finds no current vocabulary runs phase one as before and asks for
 * one ({@link #want}). A peer is fetched at most once per {@link #MIN_INTERVAL}, so a peer whose index changes
 * faster than that is mostly served by phase one. Memory is bounded: at most {@link #MAX_TERMS_PER_PEER} terms from
 * one peer and {@link #MAX_TERMS} from all together; a peer over the bound, like one whose pages fail to arrive or
 * do not make one vocabulary, is left to phase one and tried again after {@link #FAILURE_BACKOFF}. Its pages were
 * fetched in vain, up to the bound: a bounded waste, every {@link #FAILURE_BACKOFF} at most.
 */
final class PeerVocabularies {
  private static final Logger LOG = Logger.getLogger(PeerVocabularies.class.getName());
  static final Duration MIN_INTERVAL = Duration.ofSeconds(10);
  /** After a failed fetch (the peer is unreachable, misbehaves or has too large a vocabulary). */
  static final Duration FAILURE_BACKOFF = Duration.ofMinutes(5);
  static final Duration PAGE_TIMEOUT = Duration.ofSeconds(10);
  static final long MAX_TERMS_PER_PEER = 500_000;
  static final long MAX_TERMS = 2_000_000;

  /** Reads one page of a peer's vocabulary (over the network, or from the local index for this node). */
  @FunctionalInterface
  interface Pages {
    VocabularyPage read(PeerId peer, VocabularyPage.Cursor from) throws Exception;
  }

  private final Pages pages;
  private final Map<PeerId, TermVocabulary> known = new ConcurrentHashMap<>();
  /** Per peer, the System.nanoTime() before which its vocabulary is not fetched again. */
  private final Map<PeerId, Long> notBefore = new ConcurrentHashMap<>();
  private final Set<PeerId> fetching = ConcurrentHashMap.newKeySet();
  private final AtomicLong fetches = new AtomicLong();
  private volatile boolean enabled = true;
  private volatile Duration minInterval = MIN_INTERVAL;

  PeerVocabularies(Pages pages) {
    this.pages = pages;
  }

  /** On or off. Off, nothing is used or fetched; what is known is kept (it is checked by version when used). */
  void enabled(boolean on) {
    enabled = on;
  }

  /** How long after fetching a peer's vocabulary it may be fetched again ({@link #MIN_INTERVAL} by default). */
  void minInterval(Duration interval) {
    minInterval = interval;
  }

  /** Completed vocabulary fetches so far. */
  long fetches() {
    return fetches.get();
  }

  /** The peer's vocabulary if one is known, of the index version {@code current} when that is known. */
  Optional<TermVocabulary> current(PeerId peer, OptionalLong current) {
    TermVocabulary v = enabled ? known.get(peer) : null;
    return v == null || (current.isPresent() && current.getAsLong() != v.version()) ? Optional.empty()
        : Optional.of(v);
  }

  /** What {@code peer} would answer in phase one for a query of these terms, from its vocabulary. */
  Optional<VersionedStats> compose(PeerId peer, OptionalLong current, QueryTerms query) {
    return current(peer, current).map(v -> new VersionedStats(v.statistics(query.terms()), v.version()));
  }

  /**
   * Notes that a query wanted {@code peer}'s vocabulary at its index version {@code current} (empty when not known)
   * and did not find it: fetches it in the background unless a fetch is running or the last one is too recent.
   */
  void want(PeerId peer, OptionalLong current) {
    if (!enabled || current(peer, current).isPresent()) {
      return;
    }
    Long wait = notBefore.get(peer);
    if (wait != null && System.nanoTime() - wait < 0 || !fetching.add(peer)) {
      return;
    }
    Thread.ofVirtual().name("vocabulary-fetch").start(() -> {
      try {
        fetch(peer);
      } finally {
        fetching.remove(peer);
      }
    });
  }

  private void fetch(PeerId peer) {
    long others = known.entrySet().stream().filter(e -> !e.getKey().equals(peer))
        .mapToLong(e -> e.getValue().size()).sum();
    long budget = Math.min(MAX_TERMS_PER_PEER, MAX_TERMS - others);
    if (budget <= 0) {
      notBefore.put(peer, System.nanoTime() + FAILURE_BACKOFF.toNanos());
      return;
    }
    try {
      TermVocabulary.Builder b = new TermVocabulary.Builder(budget);
      VocabularyPage.Cursor at = VocabularyPage.Cursor.START;
      while (at != null) {
        VocabularyPage page = pages.read(peer, at);
        if (!page.field().equals(at.field())) {
          throw new IllegalArgumentException("vocabulary: asked for " + at.field() + ", got " + page.field());
        }
        at = b.add(page) ? page.next() : null;
      }
      TermVocabulary fresh = b.build();
      if (enabled) {
        known.put(peer, fresh);
        fetches.incrementAndGet();
      }
      notBefore.put(peer, System.nanoTime() + minInterval.toNanos());
    } catch (Exception e) {
      notBefore.put(peer, System.nanoTime() + FAILURE_BACKOFF.toNanos());
      // Phase one still answers for this peer; the next query that misses its vocabulary asks again later.
      LOG.log(Level.FINE, "vocabulary of " + PeerNames.of(peer) + " not fetched: " + e.getMessage());
    }
  }
}
