package io.fedsearch.federation.payments.payee;

import io.fedsearch.federation.payments.journal.ClaimRows;
import io.fedsearch.federation.payments.journal.ChannelRows;
import io.fedsearch.federation.payments.channel.ChannelTerms;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.ClaimVerifier;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One channel paid to this node, as {@link PayeeChannels} holds it in memory: its terms, status, best accepted
 * claim and settlement. Guarded by its own monitor (callers synchronize on the instance); {@code payments.db} stays
 * the durable truth it is loaded from.
 */
final class PayeeChannel {
  ChannelTerms terms;
  /** The channel key, decoded once; replaced (under the lock) only if the ledger names another key. */
  volatile ClaimVerifier.Bound verifier;
  String status;
  /** Why new claims are refused when {@code status} is {@value PayeeChannels#REFUSED}. */
  PaymentRejectedException refusal;
  /** Forgotten as an idle provisional channel: a claim must bring its create again. */
  boolean evicted;
  String peer;
  long best;
  String bestSig;
  long reserved;
  long settled;
  Instant openedAt;
  Instant lastClaimAt;
  Instant lastSettleAt;
  /** When a claim over the known amount last made this node re-read the channel from the ledger (null: never). */
  Instant lastShortfallRead;

  static PayeeChannel fresh(ChannelTerms terms, String status, String peer, Instant now) {
    PayeeChannel s = new PayeeChannel();
    s.terms = terms;
    s.verifier = ClaimVerifier.bind(terms.publicKey());
    s.status = status;
    s.peer = peer;
    s.openedAt = now;
    return s;
  }

  /** Every payee channel in the journal, with its best claim read back from {@code claims}. */
  static Map<String, PayeeChannel> loadAll(PaymentsDb db) {
    return db.read(c -> {
      Map<String, PayeeChannel> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(ChannelRows.PAYEES);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          PayeeChannel s = new PayeeChannel();
          s.terms = ChannelRows.terms(rs);
          s.verifier = ClaimVerifier.bind(s.terms.publicKey());
          s.status = rs.getString("status");
          s.peer = rs.getString("peer");
          s.best = rs.getLong("best_amount");
          s.bestSig = rs.getString("best_signature");
          s.reserved = s.best;
          s.settled = rs.getLong("settled_amount");
          s.openedAt = Instant.ofEpochMilli(rs.getLong("opened_at"));
          s.lastClaimAt = ChannelRows.instant(rs, "last_claim_at");
          s.lastSettleAt = ChannelRows.instant(rs, "last_settle_at");
          out.put(s.terms.id(), s);
        }
      }
      // The claims table is the durable truth for the best claim (accepting a claim writes only its row there).
      try (PreparedStatement ps = c.prepareStatement(ClaimRows.BEST)) {
        for (PayeeChannel s : out.values()) {
          ps.setString(1, s.terms.id());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getLong(1) > s.best) {
              s.best = rs.getLong(1);
              s.bestSig = rs.getString(2);
              s.reserved = s.best;
              s.lastClaimAt = Instant.ofEpochMilli(rs.getLong(3));
            }
          }
        }
      }
      return out;
    });
  }

  /**
   * Takes every term from the ledger's {@code onLedger} and checks them (caller holds the lock): terms this node
   * does not accept make the channel {@value PayeeChannels#REFUSED}; a confirmed channel gone from the ledger is
   * closed. Returns whether anything changed that must be written.
   */
  boolean applyLedger(Optional<ChannelTerms> onLedger, TermsPolicy policy, Instant now) {
    if (onLedger.isEmpty()) {
      if (!terms.confirmed() || "closed".equals(status)) {
        return false;
      }
      status = "closed";
      return true;
    }
    ChannelTerms t = onLedger.get();
    if (!t.publicKey().equals(terms.publicKey())) {
      verifier = ClaimVerifier.bind(t.publicKey());
    }
    terms = t;
    Optional<PaymentRejectedException> refused = policy.refusal(t, now);
    if (refused.isPresent()) {
      status = PayeeChannels.REFUSED;
      refusal = refused.get();
    } else if ("unconfirmed".equals(status) || PayeeChannels.REFUSED.equals(status)) {
      status = "open";
      refusal = null;
    }
    return true;
  }

  PayeeChannels.View view() {
    return new PayeeChannels.View(terms, status, peer, best, bestSig, settled, openedAt,
        Optional.ofNullable(lastClaimAt), Optional.ofNullable(lastSettleAt));
  }

  /** Every accepted claim of a channel, oldest first (audits, crash tests). */
  static List<Claim> journal(PaymentsDb db, String channelId) {
    return db.read(c -> {
      List<Claim> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          ClaimRows.ALL_OF)) {
        ps.setString(1, channelId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Claim(channelId, rs.getLong(1), rs.getString(2)));
          }
        }
      }
      return out;
    });
  }
}
