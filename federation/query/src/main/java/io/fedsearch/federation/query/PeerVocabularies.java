package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.indexer.index.EntryIndex.VersionedStats;
import io.fedsearch.indexer.search.IndexSegments;
import io.fedsearch.indexer.search.QueryTerms;
import io.fedsearch.indexer.search.SegmentedVocabulary;
import io.fedsearch.indexer.search.TermVocabulary;
import io.fedsearch.indexer.search.VocabularyPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Each peer's whole vocabulary ({@link SegmentedVocabulary}: every term of its searched fields with its statistics,
 * at one index version), fetched over {@value VocabularyWire#PROTOCOL} in the background. With it, the statistics
 * of any query of fixed terms ({@link QueryTerms}) — also one never asked before — are known without a phase one,
 * and a peer lacking a term the query requires is known not to match. A vocabulary is used only while it is of the
 * peer's current index version (the same version check as all cached statistics, see {@link StatsPhase}).
 *
 * <p>A vocabulary is kept per index segment. Segments never change, so when a peer's index moves on only the
 * segments it did not have before are fetched — those of its latest writes, and of merges — and the rest are
 * reused: a peer that writes often costs little to follow, and is followed within {@link #MIN_INTERVAL}.
 *
 * <p>Fetching never delays a query: a query that finds no current vocabulary runs phase one as before and asks for
 * one ({@link #want}). Memory is bounded: at most {@link #MAX_TERMS_PER_PEER} terms from one peer (over its
 * segments) and {@link #MAX_TERMS} from all together (vocabularies unused for {@link #UNUSED} make room). A peer
 * over the bound, like one whose pages fail to arrive or do not make one vocabulary, is left to phase one and tried
 * again after {@link #FAILURE_BACKOFF}; the pages fetched in vain are a bounded waste, once per back-off at most.
 */
final class PeerVocabularies {
  private static final Logger LOG = Logger.getLogger(PeerVocabularies.class.getName());
  static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  /** After a failed fetch (the peer is unreachable, misbehaves or has too large a vocabulary). */
  static final Duration FAILURE_BACKOFF = Duration.ofMinutes(5);
  static final Duration PAGE_TIMEOUT = Duration.ofSeconds(10);
  static final long MAX_TERMS_PER_PEER = 500_000;
  static final long MAX_TERMS = 2_000_000;
  /** A vocabulary not used for this long is dropped when another peer's needs the room (a peer that left, say). */
  static final Duration UNUSED = Duration.ofMinutes(10);
  /** Times a fetch reads the segment list again because a segment was merged away while it was being read. */
  private static final int ATTEMPTS = 3;

  /** Reads a peer's segments and pages of their vocabularies (over the network, or from this node's own index). */
  interface Source {
    IndexSegments segments(PeerId peer) throws Exception;

    /** @throws VocabularyWire.SegmentGoneException when the peer no longer has the segment */
    VocabularyPage page(PeerId peer, String segment, VocabularyPage.Cursor from) throws Exception;
  }

  private final Source source;
  private final Map<PeerId, SegmentedVocabulary> known = new ConcurrentHashMap<>();
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
  private final AtomicLong segmentsFetched = new AtomicLong();
  private final AtomicLong termsFetched = new AtomicLong();
  private volatile boolean enabled = true;
  private volatile Duration minInterval = MIN_INTERVAL;

  PeerVocabularies(Source source) {
    this.source = source;
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

  /** Segment vocabularies read so far (a fetch reads only the segments it did not have). */
  long segmentsFetched() {
    return segmentsFetched.get();
  }

  /** Terms read so far, over all segment vocabularies read. */
  long termsFetched() {
    return termsFetched.get();
  }

  /** The peer's vocabulary if one is known, of the index version {@code current} when that is known. */
  Optional<SegmentedVocabulary> current(PeerId peer, OptionalLong current) {
    SegmentedVocabulary v = enabled ? known.get(peer) : null;
    if (v == null || (current.isPresent() && current.getAsLong() != v.version())) {
      return Optional.empty();
    }
    usedNanos.put(peer, System.nanoTime());
    return Optional.of(v);
  }

  /** Every peer vocabulary held now (for spelling suggestions; statistics use {@link #current}). */
  java.util.Collection<SegmentedVocabulary> all() {
    return enabled ? java.util.List.copyOf(known.values()) : java.util.List.of();
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
    try {
      if (budget <= 0) {
        throw new IllegalStateException("no room for more terms");
      }
      SegmentedVocabulary fresh = null;
      for (int attempt = 1; fresh == null; attempt++) {
        try {
          fresh = read(peer, budget);
        } catch (VocabularyWire.SegmentGoneException e) {
          if (attempt == ATTEMPTS) {
            throw e;
          }
        }
      }
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

  /** The peer's vocabulary now: its segment list, the segments already known reused, the others read. */
  private SegmentedVocabulary read(PeerId peer, long budget) throws Exception {
    IndexSegments list = source.segments(peer);
    Map<String, TermVocabulary> had = new HashMap<>();
    SegmentedVocabulary before = known.get(peer);
    if (before != null) {
      before.segments().forEach(v -> had.put(v.segment(), v));
    }
    List<TermVocabulary> parts = new ArrayList<>(list.segments().size());
    long size = 0;
    for (IndexSegments.Segment s : list.segments()) {
      TermVocabulary v = had.get(s.id());
      if (v == null) {
        v = readSegment(peer, s.id(), budget - size);
        segmentsFetched.incrementAndGet();
        termsFetched.addAndGet(v.size());
      }
      size += v.size();
      if (size > budget) {
        throw new IllegalArgumentException("vocabulary: more than " + budget + " terms");
      }
      parts.add(v);
    }
    return new SegmentedVocabulary(list, parts);
  }

  private TermVocabulary readSegment(PeerId peer, String segment, long budget) throws Exception {
    TermVocabulary.Builder b = new TermVocabulary.Builder(Math.max(0, budget));
    VocabularyPage.Cursor at = VocabularyPage.Cursor.START;
    while (at != null) {
      VocabularyPage page = source.page(peer, segment, at);
      if (!page.field().equals(at.field()) || !page.segment().equals(segment)) {
        throw new IllegalArgumentException("vocabulary: asked for " + at.field() + " of " + segment + ", got "
            + page.field() + " of " + page.segment());
      }
      at = b.add(page) ? page.next() : null;
    }
    return b.build();
  }
}
