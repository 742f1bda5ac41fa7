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
 * one peer and {@link #MAX_TERMS} from all together (vocabularies unused for {@link #UNUSED} make room). A peer
 * over the bound, like one whose pages fail to arrive or do not make one vocabulary, is left to phase one and tried
 * again after {@link #FAILURE_BACKOFF}; the pages fetched in vain are a bounded waste, once per back-off at most.
 */
final class PeerVocabularies {
  private static final Logger LOG = Logger.getLogger(PeerVocabularies.class.getName());
  static final Duration MIN_INTERVAL = Duration.ofSeconds(10);
  /** After a failed fetch (the peer is unreachable, misbehaves or has too large a vocabulary). */
  static final Duration FAILURE_BACKOFF = Duration.ofMinutes(5);
  static final Duration PAGE_TIMEOUT = Duration.ofSeconds(10);
  static final long MAX_TERMS_PER_PEER = 500_000;
  static final long MAX_TERMS = 2_000_000;
  /** A vocabulary not used for this long is dropped when another peer's needs the room (a peer that left, say). */
  static final Duration UNUSED = Duration.ofMinutes(10);

  /** Reads one page of a peer's vocabulary (over the network, or from the local index for this node). */
  @FunctionalInterface
  interface Pages {
    VocabularyPage read(PeerId peer, VocabularyPage.Cursor from) throws Exception;
  }

  private final Pages pages;
  private final Map<PeerId, TermVocabulary> known = new ConcurrentHashMap<>();
  /** Per peer, when its vocabulary was last fetched (System.nanoTime()) and whether that failed. */
  private record Attempt(long atNanos, boolean failed) {
    boolean tooRecent(Duration interval) {
      return System.nanoTime() - atNanos < (failed ? FAILURE_BACKOFF : interval).toNanos();
    }
  }

  private final Map<PeerId, Attempt> attempts = new ConcurrentHashMap<>();
  private final Set<PeerId> fetching = ConcurrentHashMap.newKeySet();
  /** Per peer, when its vocabulary was last used: the unused ones make room for others ({@link #UNUSED}). */
  private final Map<PeerId, Long> usedNanos = new ConcurrentHashMap<>();
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
    if (v == null || (current.isPresent() && current.getAsLong() != v.version())) {
      return Optional.empty();
    }
    usedNanos.put(peer, System.nanoTime());
    return Optional.of(v);
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
    Attempt last = attempts.get(peer);
    if (last != null && last.tooRecent(minInterval) || !fetching.add(peer)) {
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
    long now = System.nanoTime();
    for (PeerId p : known.keySet()) {
      Long used = usedNanos.get(p);
      if (!p.equals(peer) && (used == null || now - used > UNUSED.toNanos())) {
        known.remove(p);
        usedNanos.remove(p);
      }
    }
    long others = known.entrySet().stream().filter(e -> !e.getKey().equals(peer))
        .mapToLong(e -> e.getValue().size()).sum();
    long budget = Math.min(MAX_TERMS_PER_PEER, MAX_TERMS - others);
    if (budget <= 0) {
      attempts.put(peer, new Attempt(System.nanoTime(), true));
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
        usedNanos.put(peer, System.nanoTime());
        fetches.incrementAndGet();
      }
      attempts.put(peer, new Attempt(System.nanoTime(), false));
    } catch (Exception e) {
      attempts.put(peer, new Attempt(System.nanoTime(), true));
      // Phase one still answers for this peer; the next query that misses its vocabulary asks again later.
      LOG.log(Level.FINE, "vocabulary of " + PeerNames.of(peer) + " not fetched: " + e.getMessage());
    }
  }
}
