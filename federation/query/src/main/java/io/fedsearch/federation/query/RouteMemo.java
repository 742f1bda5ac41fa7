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
 */
final class RouteMemo {
  static final Duration FRESH = Duration.ofSeconds(30);
  private static final int CAPACITY = 100_000;

  private record Heard(long version, long atNanos) {}

  /** A search as far as which documents match it: not the page size, not the statistics used to score. */
  private record Match(PeerId peer, String query, SearchRequest.Operator operator, List<String> platforms,
      String creator, String tag, Long minPrice, Long maxPrice) {}

  private final Map<PeerId, Heard> versions = new ConcurrentHashMap<>();
  private final ResultCache<Match, Long> empty = new ResultCache<>(Duration.ofMinutes(10), CAPACITY);
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
    if (enabled && totalHits == 0) {
      empty.put(match(peer, search), version);
    }
  }

  /** Whether {@code peer} is known to match nothing for {@code search} at the index version it has now. */
  boolean knownEmpty(PeerId peer, SearchRequest search) {
    if (!enabled) {
      return false;
    }
    Long at = empty.get(match(peer, search));
    OptionalLong now = version(peer);
    return at != null && now.isPresent() && now.getAsLong() == at;
  }

  private static Match match(PeerId peer, SearchRequest s) {
    return new Match(peer, s.query(), s.operator(), List.copyOf(new java.util.TreeSet<>(s.platforms())), s.creator(),
        s.tag(), s.minPrice(), s.maxPrice());
  }
}
