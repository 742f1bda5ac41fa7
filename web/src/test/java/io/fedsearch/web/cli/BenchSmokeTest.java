package io.fedsearch.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small run of every {@code fedsearch bench} command through the CLI, as a user types it, with tiny generated
 * inputs (seconds each): the command exits 0 and its JSON carries its documented figures with sane values. A broken
 * benchmark then fails the build rather than the next person who measures. {@link #everyBenchCommandHasASmokeRun}
 * reads the subcommands from picocli, so a benchmark added without a smoke run here fails too.
 */
@Timeout(900)
class BenchSmokeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] WORDS = {"parser", "color", "terminal", "string", "glob", "version", "debug", "stream",
      "buffer", "path", "socket", "image", "yaml", "crypto", "cache", "queue"};
  private static final int ENTRIES = 120;
  private static final int MAINTAINERS = 40;

  @TempDir static Path dir;
  private static Path catalog;
  private static Path knownItems;
  private static Path debian;

  /** One benchmark's smoke run: its arguments (given the generated inputs) and the checks on its JSON. */
  private record Smoke(Function<Path, List<String>> args, Consumer<JsonNode> check) {}

  /** Keyed by the bench subcommand's name. */
  private static final Map<String, Smoke> SMOKES = smokes();

  @BeforeAll
  static void inputs() throws IOException {
    List<String> entries = new ArrayList<>();
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < ENTRIES; i++) {
      String a = WORDS[i % WORDS.length];
      String b = WORDS[(i / WORDS.length) % WORDS.length];
      String id = "pkg-" + a + "-" + b + "-" + i;
      entries.add("{\"platform\":\"npm\",\"id\":\"" + id + "\",\"title\":\"" + id + "\",\"description\":\"" + a + " "
          + b + " utility number " + i + "\",\"creator\":\"maker" + (i % 12) + "\",\"tags\":[\"" + a
          + "\"],\"url\":\"\",\"popularity\":" + (10_000_000L / (i + 1)) + "}");
      if (i % 4 == 0) {
        queries.add("{\"query\":\"" + id + "\",\"platform\":\"npm\",\"id\":\"" + id + "\"}");
      }
    }
    catalog = Files.write(dir.resolve("catalog.jsonl"), entries);
    knownItems = Files.write(dir.resolve("queries.jsonl"), queries);
    List<String> packages = new ArrayList<>();
    for (int m = 0; m < MAINTAINERS; m++) {
      for (int p = 0; p <= m % 5; p++) {
        packages.add("{\"platform\":\"debian\",\"id\":\"deb" + m + "-" + p + "\",\"title\":\"deb" + m + "-" + p
            + "\",\"description\":\"package\",\"creator\":\"Maintainer " + m + "\",\"tags\":[],\"url\":\"\","
            + "\"popularity\":" + ((m * 37 + p * 11) % 200) + "}");
      }
    }
    debian = Files.write(dir.resolve("debian.jsonl"), packages);
  }

  @Test
  void everyBenchCommandHasASmokeRun() {
    Set<String> commands = FedsearchCommand.commandLine().getSubcommands().get("bench").getSubcommands().keySet();
    assertThat(commands).isNotEmpty();
    assertThat(SMOKES.keySet()).as("a smoke run in BenchSmokeTest for every bench subcommand")
        .containsExactlyInAnyOrderElementsOf(commands);
  }

  @TestFactory
  Stream<DynamicTest> everyBenchCommandRunsOnTinyInputs() {
    return SMOKES.entrySet().stream().map(e -> DynamicTest.dynamicTest("bench " + e.getKey(), () -> {
      List<String> args = new ArrayList<>(List.of("bench", e.getKey()));
      args.addAll(e.getValue().args().apply(dir));
      args.add("--json");
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertThat(r.exit()).as("bench %s exit code; stderr: %s", e.getKey(), r.err()).isZero();
      // Progress lines may precede the JSON on stdout (bench hostile prints its phases): read from the object on.
      e.getValue().check().accept(JSON.readTree(r.out().substring(Math.max(0, r.out().indexOf('{')))));
    }));
  }

  /** {@code bench payouts --topology both}, briefly: both topologies counted and their accept paths measured. */
  @Test
  void payoutsTopologiesRunOnATinyMonth() throws Exception {
    CliRun r = CliRun.of("bench", "payouts", "--topology", "both", "--users", "60", "--purchases-per-user", "20",
        "--hubs", "2", "--sample-users", "6", "--dir", dir.resolve("topology").toString(), "--json");
    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    JsonNode o = JSON.readTree(r.out().substring(r.out().indexOf('{')));
    for (String t : List.of("direct", "hub")) {
      JsonNode f = o.get(t);
      assertThat(f.get("purchases").asLong()).isEqualTo(60 * 20);
      assertThat(f.get("payments").asLong())
          .isEqualTo(f.get("purchases").asLong() + f.get("discovery_fee_payments").asLong());
      assertThat(f.get("ledger_txs").asLong()).isPositive().isLessThan(f.get("ledger_txs_naive").asLong());
      assertThat(f.get("ledger_txs_per_1000_payments").asDouble())
          .isCloseTo(1000.0 * f.get("ledger_txs").asLong() / f.get("payments").asLong(),
              org.assertj.core.data.Offset.offset(0.01));
      assertThat(f.get("reduction").asDouble()).isBetween(0.0, 1.0);
      assertThat(f.get("channels").asLong()).isPositive();
      // multilateral set-off includes the bilateral offsets, and no set-off beats the net positions
      assertThat(f.get("multilateral_netting_saving").asDouble())
          .isGreaterThanOrEqualTo(f.get("bilateral_netting_saving").asDouble())
          .isLessThanOrEqualTo(f.get("net_position_bound").asDouble());
      // the same debts set off through the real protocol between real nodes
      assertThat(f.get("protocol_netting_saving").asDouble()).isPositive()
          .isLessThanOrEqualTo(f.get("net_position_bound").asDouble());
      assertThat(f.get("protocol_netting_cycles").asLong()).isPositive();
      // every claim of the sample went through the real accept path and was accepted
      assertThat(f.get("sample_claims").asLong()).isEqualTo((t.equals("hub") ? 2 : 1) * 6 * 20);
      assertThat(f.get("accepted").asLong()).isEqualTo(f.get("sample_claims").asLong());
      assertThat(f.get("rejected").asLong()).isZero();
      assertThat(f.get("claims_per_s").asDouble()).isPositive();
      assertThat(f.get("p99_accept_ms").asDouble()).isPositive();
    }
    // one channel per user (plus the hubs' few) against one per user and platform bought from
    assertThat(o.get("hub").get("user_channels").asLong()).isEqualTo(60);
    assertThat(o.get("direct").get("user_channels").asLong()).isGreaterThan(60);
    assertThat(o.get("hub").get("reduction").asDouble()).isGreaterThan(o.get("direct").get("reduction").asDouble());
    assertThat(o.get("ratios").get("ledger_txs_hub_over_direct").asDouble()).isBetween(0.0, 1.0);
  }

  private static Map<String, Smoke> smokes() {
    Map<String, Smoke> s = new TreeMap<>();
    s.put("indexer", new Smoke(d -> List.of("--data", catalog.toString(), "--queries", knownItems.toString()),
        BenchSmokeTest::checkIndexer));
    s.put("p2p", new Smoke(d -> List.of("--connections", "3", "--pings", "5", "--mib", "1"),
        BenchSmokeTest::checkP2p));
    s.put("dp", new Smoke(d -> List.of("--data", catalog.toString(), "--queries", knownItems.toString(), "--epsilon",
        "1", "--payments", "20000", "--repeats", "1"), BenchSmokeTest::checkDp));
    s.put("reputation", new Smoke(d -> List.of("--data", debian.toString(), "--creators", "30", "--attackers", "2",
        "--epochs", "6", "--score-creators", "2000", "--rows", "20000", "--platforms", "4", "--score-epochs", "8"),
        BenchSmokeTest::checkReputation));
    s.put("payouts", new Smoke(d -> List.of("--nodes", "3", "--users", "40", "--purchases", "300", "--claims",
        "300", "--items", "60", "--chunk", "100", "--hours", "2", "--dir", d.resolve("payouts").toString()),
        BenchSmokeTest::checkPayouts));
    s.put("federation", new Smoke(d -> List.of("--nodes", "2", "--data", catalog.toString(), "--queries",
        knownItems.toString(), "--warmup", "1", "--concurrency", "2", "--deadline-ms", "60000", "--link-delay-ms",
        Long.toString(LINK_DELAY_MS)),
        BenchSmokeTest::checkFederation)); // a generous deadline: a stalled shared machine must not fail the run
    s.put("hostile", new Smoke(d -> List.of("--nodes", "6", "--entries", "30", "--phase-s", "1", "--deadline-ms",
        "2000", "--concurrency", "2"), BenchSmokeTest::checkHostile));
    return Collections.unmodifiableMap(s);
  }

  private static void checkIndexer(JsonNode o) {
    assertThat(o.get("entries").asInt()).isEqualTo(ENTRIES);
    assertThat(o.get("rejected").asInt()).isZero();
    assertThat(o.get("entries_per_s").asDouble()).isPositive();
    assertThat(o.get("baseline_entries_per_s").asDouble()).isPositive();
    assertThat(o.get("ratio").asDouble()).isPositive();
    assertThat(o.get("queries").asInt()).isEqualTo(ENTRIES / 4);
    assertThat(o.get("p50_ms").asDouble()).isPositive().isLessThanOrEqualTo(o.get("p99_ms").asDouble());
    // every query is an entry's exact title: a known-item search must find nearly all of them
    assertThat(o.get("recall10").asDouble()).isBetween(0.9, 1.0);
    assertThat(o.get("mrr10").asDouble()).isBetween(0.5, 1.0);
  }

  private static void checkP2p(JsonNode o) {
    assertThat(o.get("connections").asInt()).isEqualTo(3);
    checkPair(o.get("javaJava"));
    if (o.has("ratios")) {
      for (String pair : List.of("jsJs", "javaToJs", "jsToJava")) {
        checkPair(o.get(pair));
      }
      assertThat(o.get("ratios").get("throughput_javaJava_over_jsJs").asDouble()).isPositive();
    } else {
      assertThat(o.get("js").asText()).startsWith("skipped");
    }
  }

  private static void checkPair(JsonNode pair) {
    assertThat(pair).isNotNull();
    assertThat(pair.path("setupMs").path("median").asDouble()).isPositive();
    assertThat(pair.path("pingMs").path("median").asDouble()).isPositive();
    assertThat(pair.path("throughputMBps").asDouble()).isPositive();
  }

  private static void checkDp(JsonNode o) {
    assertThat(o.get("entries").asInt()).isEqualTo(ENTRIES);
    assertThat(o.get("queries").asInt()).isEqualTo(ENTRIES / 4);
    // per epoch or over every simulated epoch, as the bench defines it: at least what was asked for one epoch
    assertThat(o.get("payments").asLong()).isGreaterThanOrEqualTo(20_000);
    assertThat(o.get("ndcg10_text_only").asDouble()).isBetween(0.0, 1.0);
    assertThat(o.get("ndcg10_bounded_no_noise").asDouble()).isBetween(0.0, 1.0);
    assertThat(o.get("results")).isNotEmpty();
    for (JsonNode r : o.get("results")) {
      assertThat(r.get("epsilon").asDouble()).isEqualTo(1.0);
      assertThat(r.get("ndcg10").asDouble()).isBetween(0.0, 1.0);
      assertThat(r.get("released_fraction").asDouble()).isBetween(0.0, 1.0);
      assertThat(r.get("releases_per_s").asDouble()).isPositive();
      for (String share : List.of("released_fraction_creators", "released_volume_fraction")) {
        if (r.has(share)) {
          assertThat(r.get(share).asDouble()).as(share).isBetween(0.0, 1.0);
        }
      }
    }
  }

  private static void checkReputation(JsonNode o) {
    JsonNode attacks = o.get("attacks");
    assertThat(attacks).isNotEmpty();
    List<String> names = new ArrayList<>();
    for (JsonNode a : attacks) {
      names.add(a.get("attack").asText());
      assertThat(a.get("meets_goal").isBoolean()).isTrue();
      assertThat(a.get("capped").isBoolean()).isTrue();
      JsonNode min = a.get("ratio_min");
      if (!min.isNull()) {
        assertThat(min.asDouble()).isPositive().isLessThanOrEqualTo(a.get("ratio").asDouble());
      }
    }
    assertThat(names).contains("sybil_farm", "collusion_ring", "malicious_platform", "whitewashing", "camouflage");
    JsonNode h = o.get("harness");
    assertThat(h.get("creators").asInt()).isEqualTo(30);
    assertThat(h.get("creators_with_score").asInt()).isBetween(1, 30);
    assertThat(h.get("attacked_creators")).isNotEmpty();
    JsonNode rc = o.get("recompute");
    assertThat(rc.get("rows").asInt()).isEqualTo(20_000);
    assertThat(rc.get("rows_per_s").asDouble()).isPositive();
    assertThat(rc.get("creators_scored").asInt()).isBetween(1, 2000);
  }

  private static void checkPayouts(JsonNode o) {
    assertThat(o.get("purchases").asLong()).isEqualTo(300);
    assertThat(o.get("accepted").asLong()).isPositive();
    assertThat(o.get("rejected").asLong()).isZero();
    assertThat(o.get("claims_per_s").asDouble()).isPositive();
    assertThat(o.get("purchases_per_s").asDouble()).isPositive();
    assertThat(o.get("payments").asLong()).isPositive();
    // batching: fewer ledger transactions than payments, never more
    assertThat(o.get("ledger_txs").asLong()).isPositive().isLessThan(o.get("ledger_txs_naive").asLong());
    assertThat(o.get("reduction").asDouble()).isBetween(0.0, 1.0);
  }

  private static void checkFederation(JsonNode o) {
    assertThat(o.get("nodes").asInt()).isEqualTo(2);
    assertThat(o.get("entries").asInt()).isEqualTo(ENTRIES);
    assertThat(o.get("queries").asInt()).isEqualTo(ENTRIES / 4);
    assertThat(o.get("p50_ms").asDouble()).isPositive().isLessThanOrEqualTo(o.get("p99_ms").asDouble());
    assertThat(o.get("single_p50_ms").asDouble()).isPositive();
    assertThat(o.get("p99_ratio").asDouble()).isPositive();
    // the federated exact merge equals one index over the union
    assertThat(o.get("top10_agreement").asDouble()).isBetween(0.9, 1.0);
    assertThat(o.get("incomplete_answers").asInt()).isZero();
    // the emulated wide-area link: with routing off every query crosses it to the other node and back (jitter is
    // a tenth); routed queries whose words only the asking node holds need not cross it at all
    assertThat(o.get("link_delay_ms").asDouble()).isEqualTo(LINK_DELAY_MS);
    assertThat(o.get("two_round_trip_p99_ms").asDouble()).isGreaterThanOrEqualTo(2 * LINK_DELAY_MS * 0.9);
    assertThat(o.get("one_round_trip_goal_p99_ms").asDouble())
        .isEqualTo(2 * LINK_DELAY_MS + o.get("single_p99_ms").asDouble() + 5, org.assertj.core.data.Offset.offset(0.01));
    assertThat(o.get("p99_over_goal").asDouble()).isPositive();
    // --warmup 1: one fixed pass over the warm-up half of the queries, not rounds until the JIT settles
    assertThat(o.get("warm_up_rounds").asInt()).isEqualTo(1);
    assertThat(o.get("warm_up_queries").asInt()).isEqualTo((ENTRIES / 4 + 1) / 2);
    assertThat(o.get("warm_up_settled").asBoolean()).isFalse();
  }

  /** Each attack ran and every figure is reported; what the figures are is the bench's to say, not a test's. */
  private static void checkHostile(JsonNode o) {
    assertThat(o.get("nodes").asInt()).isEqualTo(6);
    assertThat(o.get("undisturbed").get("searches").asInt()).isPositive();
    assertThat(o.get("undisturbed").get("success_rate").asDouble()).isPositive();
    assertThat(o.get("attacks")).hasSize(6);
    for (JsonNode a : o.get("attacks")) {
      assertThat(a.get("attack").asText()).isNotBlank();
      assertThat(a.get("during").get("searches").asInt()).as(a.get("attack").asText()).isPositive();
      assertThat(a.get("during").get("success_rate").asDouble()).isBetween(0.0, 1.0);
      assertThat(a.has("p99_ratio") && a.has("heap_growth_mib") && a.has("recovery_ms")).isTrue();
    }
  }

  /** The federation smoke's emulated one-way link delay. */
  private static final long LINK_DELAY_MS = 5;
}
