package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.indexer.search.SearchRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node knows of each peer's index, so a query goes only to the peers that can answer it.
 *
 * <p>Every answer names the index version it was read from. A peer that matched nothing for a search at version V
 * still matches nothing while its index is at V, so it is not asked that search again until it reports another
 * version — and skipping it changes nothing in the merged answer (its statistics still count; it had no hits).
 * Versions are learnt only from answers, so the memo trusts a version for {@link #FRESH} after it was last heard;
 * a peer not heard from for longer is asked again, which also refreshes what is known of it. A skipped peer can
 * thus miss writes made in the last {@link #FRESH} at most, and only when no other query reached it meanwhile.
 *
 * <p>A peer that matched a search at V matches it while at V too: that is remembered as well, so a repeated search
 * needs no other evidence that the peer is worth asking (the vocabulary's check costs a few microseconds a peer).
 */
final class RouteMemo {
  static final Duration FRESH = Duration.ofSeconds(30);
  /** Searches × peers remembered; 100,000 when only empty answers were (a query has ~2 empty peers to 1 matching). */
  private static final int CAPACITY = 150_000;

  private record Heard(long version, long atNanos) {}

  /** What a peer's answer to a search showed, at the index version it was read from. */
  private record Outcome(long version, boolean matched) {}

  /** What is known of a peer's matches for a search at the index version it has now. */
  enum Known { EMPTY, MATCHES, UNKNOWN }

  /** A search as far as which documents match it: not the page size, not the statistics used to score. */
  private record Match(PeerId peer, String query, SearchRequest.Operator operator, List<String> platforms,
      String creator, String tag, Long minPrice, Long maxPrice) {}

  private final Map<PeerId, Heard> versions = new ConcurrentHashMap<>();
  private final ResultCache<Match, Outcome> outcomes = new ResultCache<>(Duration.ofMinutes(10), CAPACITY);
  private volatile boolean enabled = true;

  void enabled(boolean on) {
    enabled = on;
  }

  boolean enabled() {
    return enabled;
  }

  /** Notes the index version a peer answered from. */
  void heard(PeerId peer, long version) {
    versions.put(peer, new Heard(version, System.nanoTime()));
  }

  /** The peer's index version, if heard within {@link #FRESH}. */
  OptionalLong version(PeerId peer) {
    Heard h = versions.get(peer);
    return h == null || System.nanoTime() - h.atNanos() > FRESH.toNanos() ? OptionalLong.empty()
        : OptionalLong.of(h.version());
  }

  /** Notes a peer's answer to {@code search}: its version, and whether it matched anything. */
  void answered(PeerId peer, SearchRequest search, long version, long totalHits) {
    heard(peer, version);
    if (enabled) {
      outcomes.put(match(peer, search), new Outcome(version, totalHits > 0));
    }
  }

  /**
   * Notes that {@code peer}'s index at {@code version} was shown to match nothing for {@code search} without asking
   * it (its vocabulary): the next time, the memo answers at once.
   */
  void matchesNothing(PeerId peer, SearchRequest search, long version) {
    if (enabled) {
      outcomes.put(match(peer, search), new Outcome(version, false));
    }
  }

  /** Whether {@code peer} is known to match nothing, or something, for {@code search} at the version it has now. */
  Known known(PeerId peer, SearchRequest search) {
    if (!enabled) {
      return Known.UNKNOWN;
    }
    Outcome at = outcomes.get(match(peer, search));
    OptionalLong now = version(peer);
    if (at == null || now.isEmpty() || now.getAsLong() != at.version()) {
      return Known.UNKNOWN;
    }
    return at.matched() ? Known.MATCHES : Known.EMPTY;
  }

  private static Match match(PeerId peer, SearchRequest s) {
    return new Match(peer, s.query(), s.operator(), List.copyOf(new java.util.TreeSet<>(s.platforms())), s.creator(),
        s.tag(), s.minPrice(), s.maxPrice());
  }
}
