package io.fedsearch.privacy.node;

import io.fedsearch.privacy.release.EpochTree;
import io.fedsearch.privacy.release.SignalMechanism.NoisyValue;
import io.fedsearch.privacy.release.Unit;
import io.fedsearch.privacy.store.PrivacyDb;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The noisy values of this node's own tree nodes ({@code signal_nodes} in {@code privacy.db}), kept so that later
 * releases can sum the window's nodes without drawing their noise again (drawing it again would spend budget
 * again). Written in the release's transaction; nodes that no future window covers are dropped then.
 */
final class TreeNodes {
  private final PrivacyDb db;

  TreeNodes(PrivacyDb db) {
    this.db = db;
  }

  /** The stored values of one node (empty when this node never released it). Caller holds the db lock. */
  SortedMap<String, NoisyValue> read(Unit unit, EpochTree.Node node) {
    SortedMap<String, NoisyValue> out = new TreeMap<>();
    try (PreparedStatement ps = db.connection().prepareStatement(
        "SELECT key, payers, drops FROM signal_nodes WHERE unit = ? AND start = ? AND length = ?")) {
      ps.setString(1, unit.wireName());
      ps.setLong(2, node.start());
      ps.setLong(3, node.length());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new NoisyValue(rs.getLong(2), rs.getLong(3)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read tree node " + node + ": " + e.getMessage(), e);
    }
  }

  /** Stores one node's values inside the caller's transaction. */
  void insertUncommitted(Unit unit, EpochTree.Node node, SortedMap<String, NoisyValue> values) throws SQLException {
    try (PreparedStatement ps = db.connection().prepareStatement(
        "INSERT OR REPLACE INTO signal_nodes(unit, start, length, key, payers, drops) VALUES (?,?,?,?,?,?)")) {
      for (var e : values.entrySet()) {
        ps.setString(1, unit.wireName());
        ps.setLong(2, node.start());
        ps.setLong(3, node.length());
        ps.setString(4, e.getKey());
        ps.setLong(5, e.getValue().payers());
        ps.setLong(6, e.getValue().drops());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Drops nodes that end before {@code windowStart} (no later window covers them), inside the caller's transaction. */
  void pruneUncommitted(long windowStart) throws SQLException {
    try (PreparedStatement ps = db.connection().prepareStatement(
        "DELETE FROM signal_nodes WHERE start + length - 1 < ?")) {
      ps.setLong(1, windowStart);
      ps.executeUpdate();
    }
  }
}
