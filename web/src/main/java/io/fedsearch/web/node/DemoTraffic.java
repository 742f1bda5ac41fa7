package io.fedsearch.web.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.query.FederatedResult;
import io.fedsearch.federation.query.FederatedSearch;
import io.fedsearch.indexer.search.SearchRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The demo's simulated users: buyers with their own XRPL keys, each at home on one node, searching there for works
 * drawn by popularity (a Zipf-like preference for the catalogs' most popular entries) and buying some of what they
 * find — through the real path of a user's wallet: federated search, attribution token, one channel to the home
 * node as hub ({@link DemoHubUser}), the hub's claim to the hosting platform, receipt, discovery fee, payout,
 * settlement. Purchases feed the platforms' DP signal releases and reputation.
 */
public final class DemoTraffic implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DemoTraffic.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A work users look for: the words they type, and how often users want it (relative weight). */
  public record Want(String query, double weight) {}

  private final List<RunningNode> nodes;
  private final List<Want> wants;
  private final double[] cumulative;
  /** Simulated users, spread over the nodes: each pays through one channel to its home node, a hub. */
  private final List<DemoHubUser> buyers = new ArrayList<>();
  private final SplittableRandom seed = new SplittableRandom(20261121);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong searches = new AtomicLong();
  private final AtomicLong purchases = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final Thread thread;

  private DemoTraffic(List<RunningNode> nodes, List<Want> wants, int buyers, Duration interval, double buyRate) {
    this.nodes = nodes;
    this.wants = wants;
    this.cumulative = new double[wants.size()];
    double total = 0;
    for (int i = 0; i < wants.size(); i++) {
      total += wants.get(i).weight();
      cumulative[i] = total;
    }
    for (int i = 0; i < buyers; i++) {
      this.buyers.add(new DemoHubUser(nodes.get(i % nodes.size())));
    }
    this.thread = Thread.ofPlatform().daemon().name("demo-traffic").start(() -> loop(interval, buyRate));
  }

  /** Starts users searching every {@code interval} and buying with probability {@code buyRate} per search. */
  public static DemoTraffic start(List<RunningNode> nodes, List<Want> wants, int buyers, Duration interval,
      double buyRate) {
    if (wants.isEmpty()) {
      throw new IllegalArgumentException("demo traffic needs at least one work to look for");
    }
    return new DemoTraffic(nodes, wants, buyers, interval, buyRate);
  }

  /**
   * Wants from one JSON Lines catalog: each entry is looked for by the first words of its description, with a Zipf
   * weight (exponent {@value #ZIPF}) by its popularity rank in the catalog — the head is wanted by many, the tail
   * by few, as in any store.
   */
  public static List<Want> wantsFrom(List<String> jsonLines) throws IOException {
    List<JsonNode> entries = new ArrayList<>();
    for (String line : jsonLines) {
      entries.add(JSON.readTree(line));
    }
    entries.sort(java.util.Comparator.comparingLong((JsonNode e) -> -e.path("popularity").asLong(0)));
    List<Want> out = new ArrayList<>();
    for (int rank = 1; rank <= entries.size(); rank++) {
      JsonNode e = entries.get(rank - 1);
      String[] words = e.path("description").asText("").split("\\s+");
      String query = words.length >= 3 ? words[0] + " " + words[1] + " " + words[2] : e.path("title").asText();
      out.add(new Want(query, 1.0 / Math.pow(rank, ZIPF)));
    }
    return out;
  }

  static final double ZIPF = 1.2;

  private Want pick(SplittableRandom rnd) {
    double x = rnd.nextDouble() * cumulative[cumulative.length - 1];
    int i = java.util.Arrays.binarySearch(cumulative, x);
    return wants.get(i >= 0 ? i : -i - 1);
  }

  /** Users arrive every {@code interval} whatever the others are doing: each is its own virtual thread. */
  private void loop(Duration interval, double buyRate) {
    java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(64); // bounds a slow federation
    while (running.get()) {
      try {
        Thread.sleep(interval);
        if (!inFlight.tryAcquire()) {
          continue;
        }
        Thread.ofVirtual().start(() -> {
          try {
            step(buyRate);
          } catch (RuntimeException e) {
            LOG.log(Level.FINE, "simulated user step failed: " + e.getMessage());
          } finally {
            inFlight.release();
          }
        });
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private SplittableRandom random() {
    synchronized (seed) {
      return seed.split();
    }
  }

  private void step(double buyRate) {
    SplittableRandom rnd = random();
    DemoHubUser buyer = buyers.isEmpty() ? null : buyers.get(rnd.nextInt(buyers.size()));
    RunningNode serving = buyer != null ? buyer.home() : nodes.get(rnd.nextInt(nodes.size()));
    Want want = pick(rnd);
    FederatedResult r = serving.federation().search().search(new FederatedSearch.Query(
        SearchRequest.of(want.query(), 5), FederatedSearch.Merge.EXACT, Duration.ofSeconds(3), false));
    searches.incrementAndGet();
    if (buyer == null || r.works().isEmpty() || rnd.nextDouble() >= buyRate) {
      return;
    }
    // Users mostly take the first result, sometimes the second; then the cheapest platform that lists it.
    FederatedResult.Work work = r.works().get(r.works().size() > 1 && rnd.nextInt(4) == 0 ? 1 : 0);
    FederatedResult.Listing listing = work.listings().stream()
        .min(java.util.Comparator.comparingLong(l -> l.entry().entry().price())).orElseThrow();
    // People read before they pay: a purchase seconds after the search (nodes flag instant conversions as fraud).
    long thinkMs = 3_000 + rnd.nextInt(17_000);
    Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(thinkMs);
        if (!running.get()) {
          return;
        }
        if (buyer.buy(PeerId.parse(listing.peer()), listing.entry().cid(), listing.entry().entry().price(),
            listing.attributionToken())) {
          purchases.incrementAndGet();
        } else {
          refused.incrementAndGet(); // credited: the value stays with the user's hub, as for a real wallet
        }
      } catch (RuntimeException e) {
        refused.incrementAndGet();
        LOG.log(Level.FINE, "simulated purchase refused: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  public long searches() {
    return searches.get();
  }

  public long purchases() {
    return purchases.get();
  }

  public long refused() {
    return refused.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.interrupt();
    thread.join(5_000);
  }
}
