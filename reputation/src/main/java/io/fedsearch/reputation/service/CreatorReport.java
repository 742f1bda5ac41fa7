package io.fedsearch.reputation.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.reputation.attest.Attestation;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code GET /api/reputation/{creator}} returns: score and interval, evidence, breakdown per platform
 * and per signal, history over epochs, and a signed attestation (absent when the service has no signer).
 */
public record CreatorReport(
    String creator, long epoch, double score, double low, double high, double evidence, double evidenceStddev,
    List<PlatformBreakdown> platforms, List<HistoryPoint> history, Optional<Attestation> attestation) {

  /**
   * One platform's part: its trust and weight, the evidence it released for the creator (credited payers), what of
   * it counted, the score points it accounts for, and the two signals separately (distinct payers; sum paid in
   * payers of {@code creditedDropsPerPayer}).
   */
  public record PlatformBreakdown(
      String platform, double trust, double weight, double evidence, double credited, double points,
      double payerSignal, double amountSignal, int epochs) {}

  /** The score as it was at {@code epoch} (computed from the releases of that epoch and before). */
  public record HistoryPoint(long epoch, double score, double low, double high, double evidence) {}

  public ObjectNode toJsonNode() {
    ObjectMapper om = new ObjectMapper();
    ObjectNode o = om.createObjectNode();
    o.put("creator", creator);
    o.put("epoch", epoch);
    o.put("score", round(score));
    ObjectNode interval = o.putObject("interval");
    interval.put("low", round(low));
    interval.put("high", round(high));
    o.put("evidence", round(evidence));
    o.put("evidence_stddev", round(evidenceStddev));
    ArrayNode ps = o.putArray("platforms");
    for (PlatformBreakdown p : platforms) {
      ObjectNode n = ps.addObject();
      n.put("platform", p.platform());
      n.put("trust", p.trust());
      n.put("weight", round(p.weight()));
      n.put("evidence", round(p.evidence()));
      n.put("credited", round(p.credited()));
      n.put("points", round(p.points()));
      ObjectNode signals = n.putObject("signals");
      signals.put("payers", round(p.payerSignal()));
      signals.put("amount", round(p.amountSignal()));
      n.put("epochs", p.epochs());
    }
    ArrayNode hs = o.putArray("history");
    for (HistoryPoint h : history) {
      ObjectNode n = hs.addObject();
      n.put("epoch", h.epoch());
      n.put("score", round(h.score()));
      n.put("low", round(h.low()));
      n.put("high", round(h.high()));
      n.put("evidence", round(h.evidence()));
    }
    if (attestation.isPresent()) {
      try {
        o.set("attestation", om.readTree(attestation.get().toJson()));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("attestation JSON", e);
      }
    } else {
      o.putNull("attestation");
    }
    return o;
  }

  public String toJson() {
    return toJsonNode().toString();
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
