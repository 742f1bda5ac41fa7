package io.fedsearch.federation.payments.purchase;

import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.payee.PayeeChannels;
import io.fedsearch.federation.query.AttributionToken;
import io.fedsearch.indexer.cid.Cid;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.indexer.identity.NodePublicKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes a purchase idempotent on its claim: the same signed claim presented again for the same sale (same CID,
 * price, attribution token and holder) gets the receipt of the sale it already paid for, signed again (Ed25519 is
 * deterministic: the same bytes), instead of a "replayed" refusal. A buyer whose answer was lost — a hub that
 * crashed while the platform was answering — asks again with the claim it journaled and learns the outcome.
 *
 * <p>Only a claim this platform journaled with exactly that signature qualifies, so a replay proves nothing new and
 * takes nothing: the receipt already exists and names the same holder. The lookup runs only for a claim at or below
 * the channel's best accepted amount (a claim that raises it is a new purchase), so new sales never pay for it;
 * the lookup uses index {@code sales_channel}.
 */
final class SoldBefore {
  private SoldBefore() {}

  static Optional<Receipt> receipt(PaymentsDb db, PayeeChannels payee, NodeKey platformKey,
      PurchaseService.Request r) {
    if (r.claim() == null || r.cid() == null || r.attributionToken() == null) {
      return Optional.empty();
    }
    String channel = r.claim().channel();
    long drops = r.claim().drops();
    boolean atOrBelowBest = payee.channel(channel).map(v -> v.best() >= drops).orElse(false);
    if (!atOrBelowBest) {
      return Optional.empty();
    }
    String tokenId;
    try {
      tokenId = HexFormat.of().formatHex(AttributionToken.Signed.decode(r.attributionToken()).token().id());
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the ordinary path explains what is wrong with the token
    }
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT signature FROM claims WHERE channel=? AND amount=?")) {
        ps.setString(1, channel);
        ps.setLong(2, drops);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || !rs.getString(1).equalsIgnoreCase(r.claim().signature())) {
            return Optional.empty();
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT id, cid, price, token_id, serving_node, at, holder"
          + " FROM sales WHERE channel=? AND claim_amount=?")) {
        ps.setString(1, channel);
        ps.setLong(2, drops);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          String holder = rs.getString("holder");
          String wanted = r.holder() == null ? null : r.holder().hex();
          if (!rs.getString("cid").equals(r.cid().toString()) || rs.getLong("price") != r.price()
              || !rs.getString("token_id").equals(tokenId) || !Objects.equals(holder, wanted)) {
            return Optional.empty(); // the claim paid for another sale: the ordinary path refuses it as replayed
          }
          return Optional.of(Receipt.sign(platformKey, rs.getLong("id"), Cid.parse(rs.getString("cid")),
              r.price(), channel, drops, tokenId, NodePublicKey.fromHex(rs.getString("serving_node")),
              Instant.ofEpochMilli(rs.getLong("at")), r.holder()));
        }
      }
    });
  }
}
