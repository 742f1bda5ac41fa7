package io.fedsearch.bench.attack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.reputation.model.ReputationConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs every attack against creators picked across the honest population's score distribution and compares each
 * attack's cost per point with what the same creator's genuine buyers spend per point. Deterministic for a seed.
 */
public final class AttackHarness {
  public static final double GOAL_RATIO = 10;

  /** The harness's findings: the population it ran on and one row per attack. */
  public record Report(int creators, int creatorsWithSales, int scoredCreators, double medianScore, double p90Score,
      List<String> attacked, List<AttackResult> attacks, List<Detail> details, double platformWeightMalicious,
      String unit, long millis) {

    /** Share of the creators with any genuine sale that have a score above 0. */
    public double scoredShare() {
      return creatorsWithSales == 0 ? 0 : (double) scoredCreators / creatorsWithSales;
    }

    public AttackResult attack(String name) {
      return attacks.stream().filter(a -> a.attack().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no attack " + name));
    }

    public ObjectNode toJsonNode() {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("unit", unit);
      o.put("creators", creators);
      o.put("creators_with_sales", creatorsWithSales);
      o.put("creators_with_score", scoredCreators);
      o.put("creators_with_score_share", Math.round(scoredShare() * 1000) / 1000.0);
      o.put("median_score", round(medianScore));
      o.put("p90_score", round(p90Score));
      o.put("malicious_platform_weight", platformWeightMalicious);
      ArrayNode names = o.putArray("attacked_creators");
      attacked.forEach(names::add);
      ArrayNode rows = o.putArray("attacks");
      for (AttackResult a : attacks) {
        ObjectNode r = rows.addObject();
        r.put("attack", a.attack());
        num(r, "cost_per_point", a.costPerPoint());
        num(r, "honest_cost_per_point", a.honestCostPerPoint());
        num(r, "ratio", a.ratio());
        num(r, "ratio_min", a.ratioMin());
        r.put("capped", a.capped());
        num(r, "max_gain_points", a.maxGainPoints());
        r.put("meets_goal", a.meetsGoal());
        r.put("strategy", a.strategy());
      }
      ArrayNode ds = o.putArray("details");
      for (Detail d : details) {
        ObjectNode r = ds.addObject();
        r.put("attack", d.attack());
        r.put("creator", d.creator());
        r.put("base_score", round(d.baseScore()));
        num(r, "cost_per_point", d.costPerPoint());
        num(r, "honest_cost_per_point", d.honestCostPerPoint());
        num(r, "gain", d.gain());
        r.put("strategy", d.strategy());
      }
      o.put("millis", millis);
      return o;
    }

    private static void num(ObjectNode o, String field, double v) {
      if (Double.isNaN(v)) {
        o.putNull(field);
      } else if (Double.isInfinite(v)) {
        o.put(field, v > 0 ? "inf" : "-inf");
      } else {
        o.put(field, round(v));
      }
    }

    private static double round(double v) {
      return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100.0;
    }
  }

  /** One attack against one creator. */
  public record Detail(String attack, String creator, double baseScore, double costPerPoint, double honestCostPerPoint,
      double gain, String strategy) {}

  private AttackHarness() {}

  public static Report run(HarnessConfig hc, ReputationConfig rc) {
    long start = System.nanoTime();
    List<DebianPopulation.Maintainer> population = DebianPopulation.load(hc.data(), hc.creators(), hc.seed());
    World world = new World(hc, rc, population);
    Attacks attacks = new Attacks(world);
    int n = world.creators.size();
    double[] base = new double[n];
    for (int i = 0; i < n; i++) {
      base[i] = attacks.baseScore(world.creators.get(i));
    }
    double[] sorted = base.clone();
    Arrays.sort(sorted);
    int scored = (int) Arrays.stream(base).filter(s -> s > 0).count();
    int withSales = (int) world.creators.stream().filter(world::hasSales).count();
    // attacked creators: quantiles of the score distribution among those 10 points below the single-platform cap
    double ceiling = 100 * rc.platformEvidenceCap() / (rc.platformEvidenceCap() + rc.halfScoreEvidence()) - 15;
    List<Integer> eligible = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (base[i] <= ceiling) {
        eligible.add(i);
      }
    }
    eligible.sort((a, b) -> base[a] != base[b] ? Double.compare(base[a], base[b])
        : world.creators.get(a).name().compareTo(world.creators.get(b).name()));
    List<World.Creator> targets = new ArrayList<>();
    for (int q = 1; q <= hc.attackers() && !eligible.isEmpty(); q++) {
      World.Creator c = world.creators.get(eligible.get((int) ((long) q * (eligible.size() - 1) / (hc.attackers() + 1))));
      if (!targets.contains(c)) {
        targets.add(c);
      }
    }
    Map<World.Creator, Attacks.Cost> honest = new LinkedHashMap<>();
    for (World.Creator c : targets) {
      Attacks.Cost h = attacks.honest(c);
      if (!h.capped()) {
        honest.put(c, h);
      }
    }
    List<AttackResult> rows = new ArrayList<>();
    List<Detail> details = new ArrayList<>();
    for (World.Creator c : honest.keySet()) {
      Attacks.Cost h = honest.get(c);
      details.add(new Detail("honest", c.name(), attacks.baseScore(c), h.perPoint(), h.perPoint(), h.maxGain(),
          h.strategy()));
    }
    rows.add(summarise("sybil_farm", honest, attacks::sybil, attacks, details));
    rows.add(summarise("collusion_ring", honest, attacks::ring, attacks, details));
    rows.add(summarise("malicious_platform", honest, attacks::maliciousPlatform, attacks, details));
    rows.add(summarise("whitewashing", honest, attacks::whitewash, attacks, details));
    rows.add(summarise("camouflage", honest, attacks::camouflage, attacks, details));
    rows.add(summarise("free_identities", honest, attacks::freeIdentities, attacks, details));
    rows.add(summarise("unpaid_fees", honest, attacks::unpaidFees, attacks, details));
    double[] wts = world.baseWeights();
    String unit = hc.creatorUnit() ? "creator (continual release, " + hc.treeLevels() + " tree levels)" : "cid";
    return new Report(n, withSales, scored, percentile(sorted, 0.5), percentile(sorted, 0.9),
        honest.keySet().stream().map(World.Creator::name).toList(), List.copyOf(rows), List.copyOf(details),
        wts[world.malicious], unit, (System.nanoTime() - start) / 1_000_000);
  }

  private static AttackResult summarise(String name, Map<World.Creator, Attacks.Cost> honest,
      Function<World.Creator, Attacks.Cost> attack, Attacks attacks, List<Detail> details) {
    List<Double> costs = new ArrayList<>();
    List<Double> honestCosts = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    boolean allCapped = true;
    double maxGain = Double.NEGATIVE_INFINITY;
    String strategy = "";
    double worst = Double.POSITIVE_INFINITY;
    for (Map.Entry<World.Creator, Attacks.Cost> en : honest.entrySet()) {
      Attacks.Cost a = attack.apply(en.getKey());
      details.add(new Detail(name, en.getKey().name(), attacks.baseScore(en.getKey()), a.perPoint(),
          en.getValue().perPoint(), a.maxGain(), a.strategy()));
      honestCosts.add(en.getValue().perPoint());
      allCapped &= a.capped();
      if (a.capped()) {
        maxGain = Math.max(maxGain, a.maxGain());
      }
      if (!Double.isNaN(a.perPoint())) {
        costs.add(a.perPoint());
        double r = a.perPoint() / en.getValue().perPoint();
        ratios.add(r);
        if (r < worst) {
          worst = r;
          strategy = a.strategy() + " (against " + en.getKey().name() + ")";
        }
      } else if (strategy.isEmpty()) {
        strategy = a.strategy();
      }
    }
    double cost = median(costs);
    double honestCost = median(honestCosts);
    double ratio = costs.isEmpty() ? Double.NaN : cost / honestCost;
    boolean cappedOutright = allCapped && costs.isEmpty();
    // the goal holds against every attacked creator, not the typical one: the worst ratio must reach it
    boolean meets = honest.isEmpty() ? false
        : cappedOutright ? maxGain < Attacks.RISE : (worst >= GOAL_RATIO && (!allCapped || maxGain < Attacks.RISE));
    return new AttackResult(name, cost, honestCost, ratio, ratios.isEmpty() ? Double.NaN : worst, allCapped,
        allCapped ? maxGain : Double.NaN, meets, strategy);
  }

  private static double median(List<Double> v) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return percentile(a, 0.5);
  }

  private static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }
}
