package io.fedsearch.reputation.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.reputation.attest.Attestation;
import java.util.List;

/**
 * JSON bodies of the reputation API, so the HTTP layer only routes: {@code GET /api/reputation/{creator}} is
 * {@link CreatorReport#toJsonNode()}; the leaderboard and verification are here.
 */
public final class ReputationJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReputationJson() {}

  /** One creator's badge (also what search shows per result). */
  public static ObjectNode summary(ScoreSummary s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("creator", s.creator());
    o.put("epoch", s.epoch());
    o.put("score", CreatorReport.round(s.score()));
    ObjectNode i = o.putObject("interval");
    i.put("low", CreatorReport.round(s.low()));
    i.put("high", CreatorReport.round(s.high()));
    o.put("evidence", CreatorReport.round(s.evidence()));
    return o;
  }

  /** {@code GET /api/reputation?top=}: {@code {"epoch":…, "creators":[summary…]}}. */
  public static ObjectNode leaderboard(long epoch, List<ScoreSummary> top) {
    ObjectNode o = JSON.createObjectNode();
    o.put("epoch", epoch);
    ArrayNode a = o.putArray("creators");
    top.forEach(s -> a.add(summary(s)));
    return o;
  }

  /** {@code POST /api/attestations/verify}: validity, reason, the attestation's fields, the issuer's trust here. */
  public static ObjectNode verification(ReputationService.Verification v) {
    ObjectNode o = JSON.createObjectNode();
    o.put("valid", v.result().valid());
    o.put("reason", v.result().reason());
    Attestation a = v.result().attestation();
    if (a == null) {
      o.putNull("attestation");
    } else {
      ObjectNode n = o.putObject("attestation");
      n.put("creator", a.creator());
      n.put("epoch", a.epoch());
      n.put("score", a.score());
      n.put("low", a.low());
      n.put("high", a.high());
      n.put("issuer", a.issuer().hex());
    }
    o.put("issuer_trust", v.issuerTrust());
    o.put("issuer_weight", v.issuerWeight());
    return o;
  }
}
