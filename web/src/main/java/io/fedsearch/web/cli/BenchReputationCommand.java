package io.fedsearch.web.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.bench.attack.HarnessConfig;
import io.fedsearch.bench.reputation.RecomputeBench;
import io.fedsearch.bench.reputation.ReputationBench;
import io.fedsearch.reputation.model.ReputationConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedsearch bench reputation}: the attack table (cost per point of each attack against the honest cost) and
 * the time and memory to recompute every score from generated rows. Defaults run in about a minute; the issue's
 * sizes: {@code --score-creators 1000000 --rows 10000000} (give the JVM ~2 GB: FEDSEARCH_JAVA_OPTS=-Xmx2g).
 */
@Command(name = "reputation", mixinStandardHelpOptions = true,
    description = "Attack costs against the reputation model, and full-recompute time and memory.")
public final class BenchReputationCommand implements Callable<Integer> {
  @Mixin
  JsonOption output;

  @Option(names = "--data", defaultValue = "${env:FEDSEARCH_SHARED_DATA:-../shared/data}/debian.jsonl",
      description = "Debian catalog for the honest population (default ../shared/data/debian.jsonl).")
  Path data;

  @Option(names = "--no-attacks", description = "Skip the attack table.")
  boolean noAttacks;

  @Option(names = "--creators", defaultValue = "400", description = "Creators in the attack simulation.")
  int creators;

  @Option(names = "--attackers", defaultValue = "7", description = "Creators attacked (across the score range).")
  int attackers;

  @Option(names = "--epochs", defaultValue = "64", description = "Simulated epochs in the attack simulation.")
  int epochs;

  @Option(names = "--identity-cost", defaultValue = "200000",
      description = "Irrecoverable drops per fresh payer identity (XRPL AccountDelete fee at 2024 reserves).")
  long identityCost;

  @Option(names = "--payer-noise-scale", defaultValue = "2",
      description = "Discrete Laplace scale of simulated noisy payer counts.")
  long payerNoise;

  @Option(names = "--sum-noise-scale", defaultValue = "20000",
      description = "Discrete Laplace scale of simulated noisy sums, drops (payer scale × per-payer clamp).")
  long sumNoise;

  @Option(names = "--threshold", defaultValue = "-1",
      description = "Partition threshold of simulated releases (default 1 + ceil(scale · ln(1e5))).")
  int threshold;

  @Option(names = "--unit", defaultValue = "creator",
      description = "What the simulated releases carry for reputation: creator (the creator unit, continual release)"
          + " or cid (CID rows only, per epoch).")
  String unit;

  @Option(names = "--tree-levels", defaultValue = "6",
      description = "Continual release of the creator unit over trees of 2^(levels-1) epochs"
          + " (default ${DEFAULT-VALUE}).")
  int treeLevels;

  @Option(names = "--provisional-cap", defaultValue = "0",
      description = "Drops of unconfirmed-channel sales a node counts per epoch (0: a node with a ledger refuses them;"
          + " an embedded node's cap otherwise).")
  long provisionalCap;

  @Option(names = "--seed", defaultValue = "20251121", description = "Seed of every simulated draw.")
  long seed;

  @Option(names = "--score-creators", defaultValue = "100000", description = "Creators in the recompute timing.")
  int scoreCreators;

  @Option(names = "--rows", defaultValue = "1000000", description = "Signal rows in the recompute timing.")
  int rows;

  @Option(names = "--platforms", defaultValue = "16", description = "Platforms in the recompute timing.")
  int platforms;

  @Option(names = "--score-epochs", defaultValue = "60", description = "Epochs in the recompute timing.")
  int scoreEpochs;

  private boolean creatorUnit() {
    return switch (unit) {
      case "creator" -> true;
      case "cid" -> false;
      default -> throw new IllegalArgumentException("--unit: must be creator or cid, got " + unit);
    };
  }

  @Override
  public Integer call() {
    HarnessConfig harness = noAttacks ? null : HarnessConfig.defaults(data).withCreators(creators)
        .withAttackers(attackers).withEpochs(epochs).withIdentityCost(identityCost).withSeed(seed)
        .withNoise(payerNoise, sumNoise, threshold >= 0 ? threshold : HarnessConfig.thresholdFor(payerNoise, 1e-5))
        .withCreatorUnit(creatorUnit(), treeLevels).withProvisionalCap(provisionalCap);
    ObjectNode out = ReputationBench.run(harness,
        new RecomputeBench.Sizes(scoreCreators, rows, platforms, scoreEpochs, seed), ReputationConfig.defaults());
    if (output.json()) {
      System.out.println(out.toPrettyString());
      return 0;
    }
    if (out.has("attacks")) {
      System.out.printf("%-20s %14s %14s %8s %8s %7s %9s %s%n", "attack", "cost/point", "honest/point", "ratio",
          "min", "capped", "max_gain", "goal");
      for (JsonNode a : out.get("attacks")) {
        System.out.printf("%-20s %14s %14s %8s %8s %7s %9s %s%n", a.get("attack").asText(),
            a.get("cost_per_point").asText(), a.get("honest_cost_per_point").asText(), a.get("ratio").asText(),
            a.get("ratio_min").asText(), a.get("capped").asText(), a.get("max_gain_points").asText(),
            a.get("meets_goal").asBoolean() ? "met" : "NOT met");
      }
    }
    JsonNode r = out.get("recompute");
    System.out.printf("recompute: %d creators, %d rows in %d ms (baseline scan %d ms), %.2f bytes allocated/row,"
        + " peak heap %d MB%n", r.get("creators").asInt(), r.get("rows").asInt(), r.get("recompute_ms").asLong(),
        r.get("baseline_scan_ms").asLong(), r.get("allocated_bytes_per_row").asDouble(), r.get("peak_heap_mb").asLong());
    return 0;
  }
}
