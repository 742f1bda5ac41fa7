package io.fedsearch.federation.payments.payee;

import io.fedsearch.federation.payments.journal.ChannelRows;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import java.sql.PreparedStatement;
import java.time.Instant;

/**
 * Embedded mode's record of the PaymentChannelFunds applied to channels paid to us, by transaction hash: a fund
 * adds to its channel once, however often the payer presents it (a replayed fund would otherwise raise the
 * channel's amount again and again). The channel's new amount is written in the same transaction as the hash.
 */
final class ChannelFunds {
  private final PaymentsDb db;

  ChannelFunds(PaymentsDb db) {
    this.db = db; // channel_funds is created by the journal's schema
  }

  /** Adds {@code drops} to {@code channel}'s amount unless the fund {@code hash} was applied before; durable. */
  boolean applyOnce(String hash, String channel, long drops, Instant at) {
    boolean[] applied = new boolean[1];
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT OR IGNORE INTO channel_funds(hash, channel, amount, at) VALUES(?,?,?,?)")) {
        ps.setString(1, hash);
        ps.setString(2, channel);
        ps.setLong(3, drops);
        ps.setLong(4, at.toEpochMilli());
        applied[0] = ps.executeUpdate() == 1;
      }
      if (applied[0]) {
        try (PreparedStatement ps = c.prepareStatement(ChannelRows.ADD_AMOUNT)) {
          ps.setLong(1, drops);
          ps.setString(2, channel);
          ps.executeUpdate();
        }
      }
    });
    return applied[0];
  }
}
