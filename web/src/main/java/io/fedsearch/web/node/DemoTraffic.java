package io.fedsearch.web.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
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
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * The demo's simulated users: a few hundred buyers with their own XRPL keys, searching through random nodes for
 * works drawn by popularity (a Zipf-like preference for the catalogs' most popular entries) and buying some of what
 * they find — through the real path: federated search, attribution token, channel claim to the hosting platform,
 * receipt, discovery fee, payout, settlement. Purchases feed the platforms' DP signal releases and reputation.
 */
public final class DemoTraffic implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DemoTraffic.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A work users look for: the words they type, and how popular it is. */
  public record Want(String query, long popularity) {}

  private final List<RunningNode> nodes;
  private final List<Want> wants;
  private final double[] cumulative;
  private final List<DemoWallet> buyers = new ArrayList<>();
  private final SplittableRandom rnd = new SplittableRandom(20261121);
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
      // Popularity spans many orders of magnitude; its log keeps the long tail in play, squared to favour the head.
      double w = Math.pow(Math.log1p(wants.get(i).popularity()) + 1, 2);
      total += w;
      cumulative[i] = total;
    }
    for (int i = 0; i < buyers; i++) {
      this.buyers.add(new DemoWallet(XrplAccountKey.generate(KeyType.ED25519)));
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

  /** Wants from a JSON Lines catalog: each entry's title is a query, weighted by its {@code popularity}. */
  public static List<Want> wantsFrom(List<String> jsonLines) throws IOException {
    List<Want> out = new ArrayList<>();
    for (String line : jsonLines) {
      JsonNode e = JSON.readTree(line);
      String description = e.path("description").asText("");
      String[] words = description.split("\\s+");
      String query = words.length >= 3 ? words[0] + " " + words[1] + " " + words[2] : e.path("title").asText();
      out.add(new Want(query, Math.max(0, e.path("popularity").asLong(0))));
    }
    return out;
  }

  private Want pick() {
    double x = rnd.nextDouble() * cumulative[cumulative.length - 1];
    int i = java.util.Arrays.binarySearch(cumulative, x);
    return wants.get(i >= 0 ? i : -i - 1);
  }

  private void loop(Duration interval, double buyRate) {
    while (running.get()) {
      try {
        Thread.sleep(interval);
        step(buyRate);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "simulated user step failed: " + e.getMessage());
      }
    }
  }

  private void step(double buyRate) {
    RunningNode serving = nodes.get(rnd.nextInt(nodes.size()));
    Want want = pick();
    FederatedResult r = serving.federation().search().search(new FederatedSearch.Query(
        SearchRequest.of(want.query(), 5), FederatedSearch.Merge.EXACT, Duration.ofSeconds(3), false));
    searches.incrementAndGet();
    if (r.works().isEmpty() || rnd.nextDouble() >= buyRate) {
      return;
    }
    // Users mostly take the first result, sometimes the second; then the cheapest platform that lists it.
    FederatedResult.Work work = r.works().get(r.works().size() > 1 && rnd.nextInt(4) == 0 ? 1 : 0);
    FederatedResult.Listing listing = work.listings().stream()
        .min(java.util.Comparator.comparingLong(l -> l.entry().entry().price())).orElseThrow();
    DemoWallet buyer = buyers.get(rnd.nextInt(buyers.size()));
    PurchaseProtocol protocol = serving.purchaseProtocol();
    try {
      buyer.buy(protocol, PeerId.parse(listing.peer()), listing.entry().cid(), listing.entry().entry().price(),
          listing.attributionToken());
      purchases.incrementAndGet();
    } catch (PurchaseProtocol.Refused | IOException e) {
      refused.incrementAndGet();
      LOG.log(Level.FINE, "simulated purchase refused: " + e.getMessage());
    }
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
