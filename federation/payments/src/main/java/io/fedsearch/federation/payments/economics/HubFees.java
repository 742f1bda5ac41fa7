package io.fedsearch.federation.payments.economics;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The hook for hub fees in the node's economics: what this node earned as a hub (users' channels to it paying
 * platforms through it). The hub journal does not exist yet; when it lands, its reader replaces
 * {@link #NONE_JOURNALED} here, and the dashboard and {@code GET /api/economics} show it without other changes.
 */
public interface HubFees {
  /** Hub fees earned per UTC day (days since 1970-01-01 → drops) from {@code fromDay} on, read inside the journal. */
  Map<Long, Long> earnedByDay(Connection journal, long fromDay) throws SQLException;

  /** Total hub fees earned, ever (drops). */
  long earnedTotal(Connection journal) throws SQLException;

  /**
   * The real figure from the tables payments.db holds today: none of them records a hub fee (a sale's claim pays
   * the platform the price; fees are discovery fees), so a node has earned 0 as a hub.
   */
  HubFees NONE_JOURNALED = new HubFees() {
    @Override
    public Map<Long, Long> earnedByDay(Connection journal, long fromDay) {
      return Map.of();
    }

    @Override
    public long earnedTotal(Connection journal) {
      return 0;
    }
  };
}
