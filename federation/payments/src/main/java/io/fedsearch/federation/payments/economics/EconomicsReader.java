package io.fedsearch.federation.payments.economics;

import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.ledger.Ledger;
import io.fedsearch.federation.payments.ledger.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link Economics} from the payments journal ({@code payments.db}) in one read transaction, so the totals and
 * the days agree with each other: sales ({@code sales}), discovery fees earned (claims on payee channels that a
 * platform opened to us for payouts — the rows with a {@code peer} — as increments of each channel's cumulative
 * claims) and paid ({@code payouts}), netting ({@code netting}: an offset settles as much of our debt as of
 * theirs), ledger fees ({@code outbox}), channels on both sides ({@code channels}, {@code claims}). Hub fees come
 * from the {@link HubFees} hook; the account reserve from the ledger when one is configured (never a constant: the
 * validators vote it). A read costs a few grouped scans of those tables; the dashboard asks on demand only.
 */
public final class EconomicsReader {
  /** Longest history a report covers (days). */
  public static final int MAX_DAYS = 366;
  private static final long DAY_MS = 86_400_000L;

  private final Payments payments;
  private final HubFees hub;
  private final Clock clock;

  public EconomicsReader(Payments payments, HubFees hub, Clock clock) {
    this.payments = payments;
    this.hub = hub;
    this.clock = clock;
  }

  /** The figures, with the last {@code days} UTC days (today included) one by one. */
  public Economics read(int days) {
    if (days < 1 || days > MAX_DAYS) {
      throw new IllegalArgumentException("days must be in [1, " + MAX_DAYS + "], got " + days);
    }
    long today = Math.floorDiv(clock.millis(), DAY_MS);
    long fromDay = today - days + 1;
    // the journal first (one read transaction), then the ledger, outside the journal's lock
    Economics e = payments.db().read(c -> read(c, fromDay, today));
    return e.withCapital(withReserve(e.capital()));
  }

  /** {@code cap} with the reserve the ledger holds for this node's account, as the server reports it. */
  private Economics.Capital withReserve(Economics.Capital cap) {
    if (payments.ledger().isEmpty()) {
      return cap.withReserve(null, "no ledger configured: reserves are read from the server, never assumed");
    }
    Ledger ledger = payments.ledger().get();
    try {
      Ledger.AccountRoot root = ledger.account(payments.account().address().value());
      Ledger.Reserves r = ledger.reserves();
      return cap.withReserve(r.reserveFor(root.ownerCount()), "base " + r.baseDrops() + " + " + root.ownerCount()
          + " owned objects × " + r.incrementDrops() + " drops (the server's reserves; " + cap.payerChannels()
          + " of the objects can be channels this node funds)");
    } catch (RuntimeException ex) {
      return cap.withReserve(null, "the ledger could not be asked: " + ex.getMessage());
    }
  }

  private Economics read(Connection c, long fromDay, long today) throws SQLException {
    long from = fromDay * DAY_MS;
    Map<Long, long[]> salesDays = new HashMap<>();
    each(c, "SELECT at / 86400000, COUNT(*), SUM(price), SUM(fee), COUNT(DISTINCT payer) FROM sales WHERE at >= ?"
        + " GROUP BY 1", from, rs -> salesDays.put(rs.getLong(1),
            new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)}));
    long[] sales = one(c, "SELECT COUNT(*), COALESCE(SUM(price), 0), COALESCE(SUM(fee), 0),"
        + " COUNT(DISTINCT payer) FROM sales", 4);

    // Claims are cumulative per channel: what each one added is its amount less the channel's previous claim.
    String earnedClaims = "SELECT c.accepted_at AS at, c.amount - COALESCE(LAG(c.amount) OVER (PARTITION BY c.channel"
        + " ORDER BY c.amount), 0) AS added FROM claims c JOIN channels ch ON ch.id = c.channel"
        + " WHERE ch.role = 'payee' AND ch.peer IS NOT NULL";
    Map<Long, Long> earnedDays = sumByDay(c, "SELECT at / 86400000, SUM(added) FROM (" + earnedClaims
        + ") WHERE at >= ? GROUP BY 1", from);
    long earnedTotal = one(c, "SELECT COALESCE(SUM(added), 0) FROM (" + earnedClaims + ")", 1)[0];
    Map<Long, Long> paidDays = sumByDay(c, "SELECT at / 86400000, SUM(amount) FROM payouts WHERE at >= ? GROUP BY 1",
        from);
    long paidTotal = one(c, "SELECT COALESCE(SUM(amount), 0) FROM payouts", 1)[0];
    Map<Long, Long> nettedDays = sumByDay(c, "SELECT at / 86400000, SUM(offset_amount) FROM netting WHERE at >= ?"
        + " GROUP BY 1", from);
    long nettedTotal = one(c, "SELECT COALESCE(SUM(offset_amount), 0) FROM netting", 1)[0];
    long owedUnpaid = one(c, "SELECT COALESCE(SUM(MAX(0, accrued - paid - netted)), 0) FROM fees", 1)[0];

    String spent = "(status = '" + Outbox.VALIDATED + "' OR (status = '" + Outbox.FAILED + "' AND result LIKE 'tec%'))";
    Map<Long, Long> ledgerDays = sumByDay(c, "SELECT updated_at / 86400000, SUM(fee) FROM outbox WHERE " + spent
        + " AND updated_at >= ? GROUP BY 1", from);
    long[] ledgerSpent = one(c, "SELECT COALESCE(SUM(fee), 0), COUNT(*) FROM outbox WHERE " + spent, 2);
    long[] ledgerWaiting = one(c, "SELECT COALESCE(SUM(fee), 0), COUNT(*) FROM outbox WHERE status IN ('"
        + Outbox.PENDING + "', '" + Outbox.SUBMITTED + "')", 2);

    long[] payer = one(c, "SELECT COUNT(*), COALESCE(SUM(status = 'unconfirmed'), 0), COALESCE(SUM(amount), 0),"
        + " COALESCE(SUM(best_amount), 0) FROM channels WHERE role = 'payer' AND status <> 'closed'", 4);
    Map<Long, Long> openedDays = sumByDay(c, "SELECT opened_at / 86400000, SUM(amount) FROM channels"
        + " WHERE role = 'payer' AND opened_at >= ? GROUP BY 1", from);
    long[] payee = one(c, "SELECT COUNT(*), COALESCE(SUM(amount), 0), COALESCE(SUM((SELECT MAX(amount) FROM claims"
        + " WHERE channel = channels.id)), 0) FROM channels WHERE role = 'payee' AND status <> 'closed'", 3);
    long[] users = one(c, "SELECT COUNT(DISTINCT source), COALESCE(SUM(amount), 0) FROM channels"
        + " WHERE role = 'payee' AND peer IS NULL", 2);
    Map<Long, Long> hubDays = hub.earnedByDay(c, fromDay);
    long hubTotal = hub.earnedTotal(c);

    List<Economics.Day> daily = new ArrayList<>();
    for (long d = fromDay; d <= today; d++) {
      long[] s = salesDays.getOrDefault(d, new long[4]);
      long netted = nettedDays.getOrDefault(d, 0L);
      daily.add(new Economics.Day(d, s[0], s[1], s[2], earnedDays.getOrDefault(d, 0L) + netted,
          paidDays.getOrDefault(d, 0L) + netted, hubDays.getOrDefault(d, 0L), ledgerDays.getOrDefault(d, 0L), s[3],
          openedDays.getOrDefault(d, 0L)));
    }
    return new Economics(new Economics.Sales(sales[0], sales[1], sales[2]),
        new Economics.Fees(earnedTotal, nettedTotal, paidTotal, nettedTotal, owedUnpaid), hubTotal,
        new Economics.LedgerFees(ledgerSpent[0], ledgerSpent[1], ledgerWaiting[0], ledgerWaiting[1]),
        new Economics.Capital(payer[0], payer[1], payer[2], payer[3], payee[0], payee[1], payee[2], null, ""),
        new Economics.Payers(sales[3], users[0], users[1]), fromDay, List.copyOf(daily));
  }

  private interface Row {
    void accept(ResultSet rs) throws SQLException;
  }

  private static void each(Connection c, String sql, long from, Row row) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, from);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          row.accept(rs);
        }
      }
    }
  }

  private static Map<Long, Long> sumByDay(Connection c, String sql, long from) throws SQLException {
    Map<Long, Long> out = new HashMap<>();
    each(c, sql, from, rs -> out.put(rs.getLong(1), rs.getLong(2)));
    return out;
  }

  private static long[] one(Connection c, String sql, int columns) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      long[] out = new long[columns];
      if (rs.next()) {
        for (int i = 0; i < columns; i++) {
          out[i] = rs.getLong(i + 1);
        }
      }
      return out;
    }
  }
}
