package io.fedsearch.web.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.privacy.accounting.LedgerEntry;
import io.fedsearch.privacy.node.PrivacyService;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /api/signals?epoch=} serves this node's signed release for an epoch (the latest without {@code
 * epoch}); {@code GET /api/privacy/budget} shows the budget spent per epoch and what remains.
 */
final class SignalsApi {
  private final PrivacyService privacy;

  SignalsApi(PrivacyService privacy) {
    this.privacy = privacy;
  }

  void release(ServerRequest req, ServerResponse res) {
    Long epoch = Params.optionalLong(req.query(), "epoch");
    List<Long> epochs = privacy.releases().ownEpochs();
    if (epoch == null) {
      if (epochs.isEmpty()) {
        throw ApiException.notFound("this node has released no signals yet (epoch "
            + privacy.currentEpoch() + " is still open)");
      }
      epoch = epochs.getLast();
    }
    long e = epoch;
    String json = privacy.releases().ownJson(e)
        .orElseThrow(() -> ApiException.notFound("no release for epoch " + e + "; released epochs: "
            + (epochs.size() > 20 ? epochs.subList(epochs.size() - 20, epochs.size()) : epochs)));
    res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
    res.send(json.getBytes(StandardCharsets.UTF_8));
  }

  void budget(ServerRequest req, ServerResponse res) {
    Json.send(res, 200, budget());
  }

  /** The privacy budget spent per epoch and unit, and what remains. */
  ObjectNode budget() {
    ObjectNode o = Json.object().put("current_epoch", privacy.currentEpoch());
    o.set("budget", Json.MAPPER.valueToTree(privacy.budget()));
    // One budget line per unit (CID, creator): each unit's tree nodes composed on their own.
    ObjectNode units = o.putObject("units");
    privacy.budgetByUnit().forEach((unit, status) -> units.set(unit.wireName(), Json.MAPPER.valueToTree(status)));
    o.put("tree_levels", privacy.config().treeLevels());
    ArrayNode ledger = o.putArray("ledger");
    for (LedgerEntry l : privacy.ledger()) {
      // Field by field: the shared mapper has no java.time module, so valueToTree failed on spentAt (an Instant).
      ObjectNode e = ledger.addObject().put("seq", l.seq());
      e.set("spend", Json.MAPPER.valueToTree(l.spend()));
      e.put("spentAt", l.spentAt().toString()).put("note", l.note());
    }
    return o;
  }
}
