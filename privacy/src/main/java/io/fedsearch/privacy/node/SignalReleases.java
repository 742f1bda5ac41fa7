package io.fedsearch.privacy.node;

import io.fedsearch.privacy.release.InvalidReleaseException;
import io.fedsearch.privacy.release.SignalRelease;
import io.fedsearch.privacy.release.SignalRow;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.store.PrivacyDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Signal releases held by this node ({@code signal_releases} in {@code privacy.db}): its own, and verified ones
 * from other nodes. This is what {@code GET /api/signals?epoch=} serves ({@link #ownJson}), what the {@code
 * /fedsearch/signals/1.0.0} protocol sends ({@link #own} → {@link SignedRelease#encode}) and accepts ({@link
 * #accept}), and what ranking and reputation read ({@link #latestPerNode}, {@link #signals}, {@link
 * #payerSignal}). Every stored release verified against its own node key before it was stored; a node that signs
 * two different releases for one epoch keeps its first one here.
 */
public final class SignalReleases {
  private final PrivacyDb db;
  private final String ownKey;
  private final Clock clock;
  private volatile Map<String, SignedRelease> latestCache;
  private volatile Map<String, Long> payerTable;

  SignalReleases(PrivacyDb db, String ownKey, Clock clock) {
    this.db = db;
    this.ownKey = ownKey;
    this.clock = clock;
  }

  /** Verifies and stores a release received from another node (or re-received); returns it. */
  public SignedRelease accept(byte[] wire) throws InvalidReleaseException {
    SignedRelease sr = SignedRelease.decode(wire);
    SignalRelease r = sr.release();
    synchronized (db) {
      Optional<byte[]> existing = wire(r.nodeKey(), r.epoch());
      if (existing.isPresent()) {
        if (Arrays.equals(existing.get(), wire)) {
          return sr;
        }
        throw new InvalidReleaseException("conflicting release: node " + r.nodeKey() + " already published a"
            + " different signed release for epoch " + r.epoch() + "; the first one is kept");
      }
      try {
        insertUncommitted(sr, r.nodeKey().equals(ownKey));
        db.connection().commit();
      } catch (SQLException e) {
        rollback();
        throw new IllegalStateException("cannot store release: " + e.getMessage(), e);
      }
    }
    invalidate();
    return sr;
  }

  /** This node's release of {@code epoch}. */
  public Optional<SignedRelease> own(long epoch) {
    return wire(ownKey, epoch).map(SignalReleases::decodeStored);
  }

  /** Body of {@code GET /api/signals?epoch=E}: the canonical JSON envelope of this node's release of E. */
  public Optional<String> ownJson(long epoch) {
    return own(epoch).map(SignedRelease::json);
  }

  /** This node's most recent release. */
  public Optional<SignedRelease> latest() {
    return Optional.ofNullable(latestPerNode().get(ownKey));
  }

  /** Epochs this node has released, ascending. */
  public List<Long> ownEpochs() {
    return db.longs("SELECT epoch FROM signal_releases WHERE node_key = ? ORDER BY epoch", ownKey);
  }


  /** The newest release of every node (own and accepted), by node key. */
  public Map<String, SignedRelease> latestPerNode() {
    Map<String, SignedRelease> cached = latestCache;
    if (cached != null) {
      return cached;
    }
    Map<String, SignedRelease> out = new TreeMap<>();
    synchronized (db) {
      try (PreparedStatement ps = db.connection().prepareStatement(
          "SELECT s.node_key, s.wire FROM signal_releases s JOIN (SELECT node_key, MAX(epoch) AS e FROM"
              + " signal_releases GROUP BY node_key) m ON s.node_key = m.node_key AND s.epoch = m.e");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), decodeStored(rs.getBytes(2)));
        }
        db.connection().commit();
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read releases: " + e.getMessage(), e);
      }
    }
    Map<String, SignedRelease> result = Map.copyOf(out);
    latestCache = result;
    return result;
  }

  /** Every node's latest released signal for {@code cid} (nodes whose latest release omits it are absent). */
  public List<CidSignal> signals(String cid) {
    List<CidSignal> out = new ArrayList<>();
    for (SignedRelease sr : latestPerNode().values()) {
      SignalRelease r = sr.release();
      r.row(cid).ifPresent(row -> out.add(
          new CidSignal(r.nodeKey(), r.epoch(), cid, row.noisyPayers(), row.noisySum())));
    }
    return out;
  }

  /**
   * The ranking signal of {@code cid}: noisy distinct payers summed over every node's latest release (0 when no
   * release has it). Post-processing of released values, so it costs no budget.
   */
  public long payerSignal(String cid) {
    Map<String, Long> table = payerTable;
    if (table == null) {
      Map<String, Long> t = new HashMap<>();
      for (SignedRelease sr : latestPerNode().values()) {
        for (SignalRow row : sr.release().rows()) {
          t.merge(row.cid(), Math.max(0, row.noisyPayers()), Long::sum);
        }
      }
      table = Map.copyOf(t);
      payerTable = table;
    }
    return table.getOrDefault(cid, 0L);
  }

  /** Stores this node's own release inside the caller's transaction (caller holds the db lock). */
  void insertOwnUncommitted(SignedRelease sr) throws SQLException {
    insertUncommitted(sr, true);
  }

  void invalidate() {
    latestCache = null;
    payerTable = null;
  }

  private void insertUncommitted(SignedRelease sr, boolean own) throws SQLException {
    Connection c = db.connection();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO signal_releases(node_key, epoch, own, wire, received_at) VALUES (?,?,?,?,?)")) {
      ps.setString(1, sr.release().nodeKey());
      ps.setLong(2, sr.release().epoch());
      ps.setInt(3, own ? 1 : 0);
      ps.setBytes(4, sr.encode());
      ps.setLong(5, clock.millis());
      ps.executeUpdate();
    }
  }

  private Optional<byte[]> wire(String nodeKey, long epoch) {
    synchronized (db) {
      try (PreparedStatement ps = db.connection().prepareStatement(
          "SELECT wire FROM signal_releases WHERE node_key = ? AND epoch = ?")) {
        ps.setString(1, nodeKey);
        ps.setLong(2, epoch);
        try (ResultSet rs = ps.executeQuery()) {
          Optional<byte[]> out = rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
          db.connection().commit();
          return out;
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read releases: " + e.getMessage(), e);
      }
    }
  }

  private static SignedRelease decodeStored(byte[] wire) {
    try {
      return SignedRelease.decode(wire);
    } catch (InvalidReleaseException e) {
      throw new IllegalStateException("a stored release no longer verifies (privacy.db altered?): " + e.getMessage(), e);
    }
  }

  private void rollback() {
    try {
      db.connection().rollback();
    } catch (SQLException ignored) {
      // reporting the original failure
    }
  }
}
