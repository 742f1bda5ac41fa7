package io.fedsearch.bench.reputation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.bench.attack.AttackHarness;
import io.fedsearch.bench.attack.HarnessConfig;
import io.fedsearch.reputation.model.ReputationConfig;
import java.nio.file.Files;

/** {@code fedsearch bench reputation}: the attack table, then the full-recompute timing. */
public final class ReputationBench {
  private ReputationBench() {}

  /** Runs both parts; {@code harness} null skips the attack table. */
  public static ObjectNode run(HarnessConfig harness, RecomputeBench.Sizes sizes, ReputationConfig config) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    if (harness != null) {
      if (!Files.isRegularFile(harness.data())) {
        throw new IllegalArgumentException("attack harness needs " + harness.data() + " (the Debian catalog); pass"
            + " --data FILE or --no-attacks");
      }
      AttackHarness.Report report = AttackHarness.run(harness, config);
      ObjectNode a = report.toJsonNode();
      a.put("goal_ratio", AttackHarness.GOAL_RATIO);
      a.put("identity_cost_drops", harness.identityCostDrops());
      a.put("seed", harness.seed());
      o.set("attacks", a.get("attacks"));
      a.remove("attacks");
      o.set("harness", a);
    }
    o.set("recompute", RecomputeBench.run(sizes, config));
    return o;
  }
}
