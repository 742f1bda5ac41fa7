package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Collects every claim a test's nodes journaled (payee side), every claim they issued (payer side) and every
 * transaction in their outboxes, and has xrpl.js verify them all in one node process per test class.
 */
final class XrplJsAudit {
  private final List<Map<String, Object>> requests = Collections.synchronizedList(new ArrayList<>());

  /** Adds what {@code p} produced; call before closing it. */
  void collect(Payments p) {
    requests.addAll(p.db().read(c -> {
      List<Map<String, Object>> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT k.channel, k.amount, k.signature, ch.public_key"
          + " FROM claims k JOIN channels ch ON ch.id = k.channel");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(XrplJs.claim(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT id, best_amount, best_signature, public_key"
          + " FROM channels WHERE role='payer' AND best_signature IS NOT NULL");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(XrplJs.claim(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT blob FROM outbox"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(XrplJs.tx(rs.getString(1)));
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT create_blob FROM channels WHERE create_blob IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(XrplJs.tx(rs.getString(1)));
        }
      }
      return out;
    }));
  }

  /** Adds signed transaction blobs a test made outside any node (users' creates, blobs sent to the ledger double). */
  void collectBlobs(java.util.Collection<String> blobs) {
    blobs.forEach(b -> requests.add(XrplJs.tx(b)));
  }

  /** Runs xrpl.js over everything collected; every claim signature and blob must verify. */
  void verify(int atLeast) throws Exception {
    assertThat(requests).hasSizeGreaterThanOrEqualTo(atLeast);
    List<JsonNode> res = XrplJs.run(new ArrayList<>(requests));
    for (int i = 0; i < res.size(); i++) {
      assertThat(res.get(i).path("ok").asBoolean()).as(requests.get(i) + " -> " + res.get(i)).isTrue();
    }
  }
}
