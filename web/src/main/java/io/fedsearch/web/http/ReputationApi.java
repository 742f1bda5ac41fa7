package io.fedsearch.web.http;

import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.service.LeaderboardQuery;
import io.fedsearch.reputation.service.ReputationJson;
import io.fedsearch.reputation.service.ReputationService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/reputation/{creator}?history=N}, {@code GET /api/reputation?top=N&platform=&min_evidence=
 * &min_score=}, {@code POST /api/attestations/verify} (body: an attestation, at most 8 KiB).
 */
final class ReputationApi {
  static final int MAX_ATTESTATION_BYTES = 8 * 1024;
  private final ReputationService reputation;
  private final java.util.function.Function<String, java.util.Optional<String>> platformNames;

  /** @param platformNames a platform's name from its key (hex), when this node knows it (itself, its peers) */
  ReputationApi(ReputationService reputation,
      java.util.function.Function<String, java.util.Optional<String>> platformNames) {
    this.reputation = reputation;
    this.platformNames = platformNames;
  }

  void creator(ServerRequest req, ServerResponse res) {
    Json.send(res, 200, creator(req.path().pathParameters().get("creator"),
        Params.integer(req.query(), "history", ReputationService.DEFAULT_HISTORY, 1, ReputationService.MAX_HISTORY)));
  }

  /** A creator's reputation report with {@code history} epochs, platforms named where this node knows them. */
  com.fasterxml.jackson.databind.JsonNode creator(String creator, int history) {
    var report = reputation.report(creator, history)
        .orElseThrow(() -> ApiException.notFound("no reputation for creator '" + creator + "' yet"));
    var json = report.toJsonNode();
    // Evidence is per platform key; name the platforms this node knows, so people read names, not keys.
    json.path("platforms").forEach(p -> platformNames.apply(p.path("platform").asText())
        .ifPresent(name -> ((com.fasterxml.jackson.databind.node.ObjectNode) p).put("name", name)));
    reputation.pointCost(creator).ifPresent(cost -> {
      json.set("cost_per_point", cost);
      platformNames.apply(cost.at("/assumptions/platform").asText(""))
          .ifPresent(name -> ((com.fasterxml.jackson.databind.node.ObjectNode) cost.path("assumptions"))
              .put("platform_name", name));
    });
    return json;
  }

  void top(ServerRequest req, ServerResponse res) {
    LeaderboardQuery q;
    try {
      q = new LeaderboardQuery(Params.integer(req.query(), "top", 20, 1, LeaderboardQuery.MAX_TOP),
          Params.text(req.query(), "platform").map(NodePublicKey::fromHex), doubleParam(req, "min_evidence"),
          doubleParam(req, "min_score"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    Json.send(res, 200, ReputationJson.leaderboard(reputation.epoch(), reputation.top(q)));
  }

  void verify(ServerRequest req, ServerResponse res) {
    byte[] body;
    try (var in = RequestBody.open(req, res)) {
      body = in.readNBytes(MAX_ATTESTATION_BYTES + 1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (body.length > MAX_ATTESTATION_BYTES) {
      throw new ApiException(413, "too_large", "attestation larger than " + MAX_ATTESTATION_BYTES + " bytes");
    }
    Json.send(res, 200, verify(new String(body, StandardCharsets.UTF_8)));
  }

  /** Whether an attestation (its JSON) verifies, and what it states. */
  com.fasterxml.jackson.databind.JsonNode verify(String attestation) {
    return ReputationJson.verification(reputation.verify(attestation));
  }

  private static double doubleParam(ServerRequest req, String name) {
    return Params.text(req.query(), name).map(v -> {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(name + ": not a number: '" + v + "'");
      }
    }).orElse(0.0);
  }
}
