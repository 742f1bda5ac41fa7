package io.fedsearch.reputation.model;

import io.fedsearch.core.keys.NodePublicKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every knob of the reputation model (see package docs and reputation/README.md for what each one does and how it
 * sets the cost of manipulation). Immutable; {@code with…} methods return a modified copy.
 *
 * @param halfLifeEpochs evidence from an epoch this many epochs old counts half
 * @param peakEpochs k: a platform's evidence for a creator is the mean of its k best decayed epochs, so reusing the
 *     same payers across more epochs adds nothing
 * @param creditedDropsPerPayer m: a payer counts fully once it paid m drops in the epoch; paying more adds nothing
 *     (amounts are clamped), paying less counts pro rata
 * @param amountNoiseLimit the amount clamp needs the noisy sum: rows of a release whose sum noise (stddev / m, in
 *     payers) exceeds this are credited by their payer count alone, since a min() with a noisier sum would cut
 *     honest rows at random
 * @param maxCidsPerPayer L: the privacy release's per-payer CID bound; payers of a creator's items other than its
 *     best one count 1/L each, so one payer buying many items of one creator counts less than two
 * @param halfScoreEvidence K: trust-weighted evidence (in credited payers) at which the score is 50
 * @param platformEvidenceCap most evidence one platform can grant one creator, before its trust weight
 * @param otherPlatformWeight weight of every platform but the creator's best one (payer pseudonyms are per platform,
 *     so one identity paying on P platforms would otherwise count P times)
 * @param trustDamping EigenTrust's a: share of trust restarted at the pre-trusted platforms each iteration
 * @param trustIterations most EigenTrust power iterations
 * @param trustTolerance L1 change at which EigenTrust stops
 * @param intervalZ normal quantile of the interval (1.96: 95 %)
 * @param pretrusted platforms trusted a priori (the node itself is added by the service when this is empty)
 */
public record ReputationConfig(
    double halfLifeEpochs,
    int peakEpochs,
    long creditedDropsPerPayer,
    double amountNoiseLimit,
    int maxCidsPerPayer,
    double halfScoreEvidence,
    double platformEvidenceCap,
    double otherPlatformWeight,
    double trustDamping,
    int trustIterations,
    double trustTolerance,
    double intervalZ,
    Set<NodePublicKey> pretrusted) {

  public ReputationConfig {
    require(halfLifeEpochs > 0 && halfLifeEpochs <= 100_000, "halfLifeEpochs must be in (0, 100000]", halfLifeEpochs);
    require(peakEpochs >= 1 && peakEpochs <= 64, "peakEpochs must be in [1, 64]", peakEpochs);
    require(creditedDropsPerPayer >= 1 && creditedDropsPerPayer <= ReputationLimits.MAX_DROPS,
        "creditedDropsPerPayer must be >= 1 drop", creditedDropsPerPayer);
    require(amountNoiseLimit >= 0 && Double.isFinite(amountNoiseLimit), "amountNoiseLimit must be >= 0",
        amountNoiseLimit);
    require(maxCidsPerPayer >= 1 && maxCidsPerPayer <= 10_000, "maxCidsPerPayer must be in [1, 10000]",
        maxCidsPerPayer);
    require(halfScoreEvidence > 0 && Double.isFinite(halfScoreEvidence), "halfScoreEvidence must be > 0",
        halfScoreEvidence);
    require(platformEvidenceCap > 0 && Double.isFinite(platformEvidenceCap), "platformEvidenceCap must be > 0",
        platformEvidenceCap);
    require(otherPlatformWeight >= 0 && otherPlatformWeight <= 1, "otherPlatformWeight must be in [0, 1]",
        otherPlatformWeight);
    require(trustDamping > 0 && trustDamping < 1, "trustDamping must be in (0, 1)", trustDamping);
    require(trustIterations >= 1 && trustIterations <= 10_000, "trustIterations must be in [1, 10000]",
        trustIterations);
    require(trustTolerance > 0 && trustTolerance < 1, "trustTolerance must be in (0, 1)", trustTolerance);
    require(intervalZ > 0 && intervalZ <= 10, "intervalZ must be in (0, 10]", intervalZ);
    if (pretrusted == null) {
      throw new IllegalArgumentException("config: pretrusted must be a set (possibly empty)");
    }
    pretrusted = Set.copyOf(pretrusted);
  }

  public static ReputationConfig defaults() {
    return new ReputationConfig(30, 2, 1_000, 30, 10, 200, 500, 0.1, 0.15, 200, 1e-12, 1.96, Set.of());
  }

  /** Weight of one payer of a creator's non-best item in one epoch: 1 / L. */
  public double breadthWeight() {
    return 1.0 / maxCidsPerPayer;
  }

  /** Oldest age (epochs) still read: eight half-lives, where decay is below 0.4 %. */
  public int maxAgeEpochs() {
    return (int) Math.min(1_000_000, Math.ceil(8 * halfLifeEpochs));
  }

  public ReputationConfig withHalfLifeEpochs(double v) {
    return new ReputationConfig(v, peakEpochs, creditedDropsPerPayer, amountNoiseLimit, maxCidsPerPayer,
        halfScoreEvidence, platformEvidenceCap, otherPlatformWeight, trustDamping, trustIterations, trustTolerance,
        intervalZ, pretrusted);
  }

  public ReputationConfig withPeakEpochs(int v) {
    return new ReputationConfig(halfLifeEpochs, v, creditedDropsPerPayer, amountNoiseLimit, maxCidsPerPayer,
        halfScoreEvidence, platformEvidenceCap, otherPlatformWeight, trustDamping, trustIterations, trustTolerance,
        intervalZ, pretrusted);
  }

  public ReputationConfig withCreditedDropsPerPayer(long v) {
    return new ReputationConfig(halfLifeEpochs, peakEpochs, v, amountNoiseLimit, maxCidsPerPayer, halfScoreEvidence,
        platformEvidenceCap, otherPlatformWeight, trustDamping, trustIterations, trustTolerance, intervalZ,
        pretrusted);
  }

  public ReputationConfig withAmountNoiseLimit(double v) {
    return new ReputationConfig(halfLifeEpochs, peakEpochs, creditedDropsPerPayer, v, maxCidsPerPayer,
        halfScoreEvidence, platformEvidenceCap, otherPlatformWeight, trustDamping, trustIterations, trustTolerance,
        intervalZ, pretrusted);
  }

  public ReputationConfig withMaxCidsPerPayer(int v) {
    return new ReputationConfig(halfLifeEpochs, peakEpochs, creditedDropsPerPayer, amountNoiseLimit, v,
        halfScoreEvidence, platformEvidenceCap, otherPlatformWeight, trustDamping, trustIterations, trustTolerance,
        intervalZ, pretrusted);
  }

  public ReputationConfig withHalfScoreEvidence(double v) {
    return new ReputationConfig(halfLifeEpochs, peakEpochs, creditedDropsPerPayer, amountNoiseLimit, maxCidsPerPayer,
        v, platformEvidenceCap, otherPlatformWeight, trustDamping, trustIterations, trustTolerance, intervalZ,
        pretrusted);
  }

  public ReputationConfig withPlatformEvidenceCap(double v) {
    return new ReputationConfig(halfLifeEpochs, peakEpochs, creditedDropsPerPayer, amountNoiseLimit, maxCidsPerPayer,
        halfScoreEvidence, v, otherPlatformWeight, trustDamping, trustIterations, trustTolerance, intervalZ,
        pretrusted);
  }

  public ReputationConfig withOtherPlatformWeight(double v) {
    return new ReputationConfig(halfLifeEpochs, peakEpochs, creditedDropsPerPayer, amountNoiseLimit, maxCidsPerPayer,
        halfScoreEvidence, platformEvidenceCap, v, trustDamping, trustIterations, trustTolerance, intervalZ,
        pretrusted);
  }

  public ReputationConfig withTrustDamping(double v) {
    return new ReputationConfig(halfLifeEpochs, peakEpochs, creditedDropsPerPayer, amountNoiseLimit, maxCidsPerPayer,
        halfScoreEvidence, platformEvidenceCap, otherPlatformWeight, v, trustIterations, trustTolerance, intervalZ,
        pretrusted);
  }

  public ReputationConfig withPretrusted(Set<NodePublicKey> v) {
    return new ReputationConfig(halfLifeEpochs, peakEpochs, creditedDropsPerPayer, amountNoiseLimit, maxCidsPerPayer,
        halfScoreEvidence, platformEvidenceCap, otherPlatformWeight, trustDamping, trustIterations, trustTolerance,
        intervalZ, v);
  }

  /** Stable JSON form (stored in the node's reputation database so the CLI scores exactly like the node). */
  public String toJson() {
    ObjectMapper om = new ObjectMapper();
    ObjectNode o = om.createObjectNode();
    o.put("half_life_epochs", halfLifeEpochs);
    o.put("peak_epochs", peakEpochs);
    o.put("credited_drops_per_payer", creditedDropsPerPayer);
    o.put("amount_noise_limit", amountNoiseLimit);
    o.put("max_cids_per_payer", maxCidsPerPayer);
    o.put("half_score_evidence", halfScoreEvidence);
    o.put("platform_evidence_cap", platformEvidenceCap);
    o.put("other_platform_weight", otherPlatformWeight);
    o.put("trust_damping", trustDamping);
    o.put("trust_iterations", trustIterations);
    o.put("trust_tolerance", trustTolerance);
    o.put("interval_z", intervalZ);
    ArrayNode pre = o.putArray("pretrusted");
    new TreeSet<>(pretrusted).forEach(k -> pre.add(k.hex()));
    return o.toString();
  }

  public static ReputationConfig fromJson(String json) {
    try {
      JsonNode o = new ObjectMapper().readTree(json);
      Set<NodePublicKey> pre = new TreeSet<>();
      for (JsonNode k : o.path("pretrusted")) {
        pre.add(NodePublicKey.fromHex(k.asText()));
      }
      return new ReputationConfig(
          num(o, "half_life_epochs").asDouble(), num(o, "peak_epochs").asInt(),
          num(o, "credited_drops_per_payer").asLong(), num(o, "amount_noise_limit").asDouble(),
          num(o, "max_cids_per_payer").asInt(),
          num(o, "half_score_evidence").asDouble(), num(o, "platform_evidence_cap").asDouble(),
          num(o, "other_platform_weight").asDouble(),
          num(o, "trust_damping").asDouble(), num(o, "trust_iterations").asInt(),
          num(o, "trust_tolerance").asDouble(), num(o, "interval_z").asDouble(), pre);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("reputation config is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static JsonNode num(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isNumber()) {
      throw new IllegalArgumentException("reputation config: '" + field + "' must be a number");
    }
    return n;
  }

  private static void require(boolean ok, String what, Object got) {
    if (!ok) {
      throw new IllegalArgumentException("reputation config: " + what + ", got " + got);
    }
  }
}
