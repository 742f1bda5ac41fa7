package io.fedsearch.federation.query;

import io.fedsearch.core.cbor.CborMap;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.indexer.index.EntryIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@value #PROTOCOL}: titles completing what a person is typing, from every index peer, so the search box suggests
 * works of the whole federation and not only this node's.
 *
 * <p>A keystroke must stay cheap for everyone: a prefix is asked only from {@value #MIN_CHARS} characters on, each
 * peer gets {@link #DEADLINE} to answer (late answers are left out, not waited for), and answers are kept for
 * {@link #TTL} per prefix, so a popular prefix costs peers one lookup a minute whatever the traffic. A peer answers
 * from its own index ({@link EntryIndex#suggestTitles}), at most {@value #MAX_TITLES} titles of at most
 * {@value #MAX_TITLE_CHARS} characters; anything beyond that is refused as malformed. Titles are text to show, never
 * markup.
 *
 * <p>Request: {@code {v: 1, q: <typed text>, n: <count>}}; response: {@code {v: 1, t: [<title>, ...]}}.
 */
public final class TitleSuggestions {
  public static final String PROTOCOL = "/fedsearch/suggest/1.0.0";
  static final int VERSION = 1;
  static final int MIN_CHARS = 3;
  static final int MAX_QUERY_CHARS = 200;
  static final int MAX_TITLES = 20;
  static final int MAX_TITLE_CHARS = 512;
  static final int MAX_ASKED = 32;
  static final Duration DEADLINE = Duration.ofMillis(250);
  static final Duration TTL = Duration.ofSeconds(60);
  private static final int MAX_REQUEST_BYTES = 1024;
  private static final int MAX_RESPONSE_BYTES = MAX_TITLES * (MAX_TITLE_CHARS * 4 + 8) + 64;

  private final RequestResponse rr;
  private final EntryIndex local;
  /** Complete answers only (every peer asked answered in time), per prefix and count. */
  private final Cache<String, List<String>> cache = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(TTL).build();

  public TitleSuggestions(RequestResponse rr, EntryIndex local) {
    this.rr = rr;
    this.local = local;
  }

  /** Answers other nodes' requests from this node's index. */
  public void serve() {
    rr.handle(PROTOCOL, MAX_REQUEST_BYTES, (from, request) -> {
      CborMap m = QueryWire.map(request, MAX_REQUEST_BYTES, "suggest request");
      QueryWire.version(m, VERSION);
      String q = m.text("q", MAX_QUERY_CHARS);
      long n = m.integer("n", 1, MAX_TITLES);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("v", (long) VERSION);
      out.put("t", List.copyOf(local.suggestTitles(q, (int) n)));
      return DagCbor.encode(out);
    });
  }

  /**
   * This node's titles for {@code typed} and, from {@value #MIN_CHARS} characters on, its peers' (answers within
   * {@link #DEADLINE}, cached per prefix): at most {@code max}, shortest first, each title once.
   */
  public List<String> suggest(String typed, int max, Collection<PeerId> peers) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> titles = new ArrayList<>();
    add(local.suggestTitles(typed, max), seen, titles);
    if (typed.strip().length() >= MIN_CHARS && !peers.isEmpty()) {
      String key = typed.toLowerCase(Locale.ROOT) + "\u0000" + max;
      List<String> remote = cache.getIfPresent(key);
      if (remote == null) {
        Answers answers = ask(typed, max, peers);
        remote = answers.titles();
        if (answers.complete()) { // a peer that was late or failed is asked again next time, not cached as silent
          cache.put(key, remote);
        }
      }
      add(remote, seen, titles);
    }
    titles.sort(Comparator.comparingInt(String::length).thenComparing(String.CASE_INSENSITIVE_ORDER));
    return titles.size() > max ? List.copyOf(titles.subList(0, max)) : titles;
  }

  private record Answers(List<String> titles, boolean complete) {}

  private Answers ask(String typed, int max, Collection<PeerId> peers) {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("v", (long) VERSION);
    req.put("q", typed);
    req.put("n", (long) Math.min(max, MAX_TITLES));
    byte[] bytes = DagCbor.encode(req);
    List<CompletableFuture<List<String>>> calls = new ArrayList<>();
    for (PeerId p : peers) {
      if (calls.size() == MAX_ASKED) {
        break;
      }
      // the call's own deadline fails it in time, and a failure is an absent answer
      calls.add(rr.call(p, PROTOCOL, bytes, MAX_RESPONSE_BYTES, DEADLINE)
          .thenApply(TitleSuggestions::titles).exceptionally(e -> null));
    }
    List<String> out = new ArrayList<>();
    boolean complete = true;
    for (CompletableFuture<List<String>> c : calls) {
      List<String> answer = c.join(); // each completes by its deadline: answered, or null when late or failed
      if (answer == null) {
        complete = false;
      } else {
        out.addAll(answer);
      }
    }
    return new Answers(List.copyOf(out), complete);
  }

  private static List<String> titles(byte[] response) {
    CborMap m = QueryWire.map(response, MAX_RESPONSE_BYTES, "suggest response");
    QueryWire.version(m, VERSION);
    List<Object> raw = m.list("t", MAX_TITLES);
    List<String> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      if (!(raw.get(i) instanceof String s) || s.isBlank() || s.length() > MAX_TITLE_CHARS) {
        throw new QueryProtocolException(m.item("t", i) + ": a title is text of 1 to " + MAX_TITLE_CHARS
            + " characters");
      }
      out.add(s);
    }
    return out;
  }

  private static void add(List<String> from, Set<String> seen, List<String> into) {
    for (String t : from) {
      if (seen.add(t.toLowerCase(Locale.ROOT))) {
        into.add(t);
      }
    }
  }
}
