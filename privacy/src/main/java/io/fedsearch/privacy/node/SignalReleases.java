package io.fedsearch.privacy.node;

import io.fedsearch.privacy.release.CreatorKey;
import io.fedsearch.privacy.release.InvalidReleaseException;
import io.fedsearch.privacy.release.SignalRelease;
import io.fedsearch.privacy.release.SignalRow;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.release.UnitParameters;
import io.fedsearch.privacy.store.PrivacyDb;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
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
 * /fedsearch/signals} protocol sends ({@link #own} → {@link SignedRelease#encode}) and accepts ({@link #accept}),
 * and what ranking and reputation read ({@link #latestPerNode}, {@link #signals}, {@link #creatorSignals}).
 *
 * <p>A received release is stored only when (checked in this order, each refusal saying why): it decodes, is
 * canonical, verifies and is internally consistent ({@link SignedRelease#decode}); it is signed by the key of the
 * peer that served it; its epoch is closed by this node's clock (allowing {@link #CLOCK_SKEW}); it is not older
 * than the newest one stored for that node; it does not conflict with a stored one for the same epoch; and the
 * node's quota allows it — at most {@link #KEPT_PER_NODE} releases per node (older ones are dropped: a release
 * holds running totals, so only the newest matters) and at most {@link #MAX_NODES} nodes.
 */
public final class SignalReleases {
  /** How far in the future a release's epoch end may be (clock differences between nodes). */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  /** Releases kept per other node. */
  public static final int KEPT_PER_NODE = 2;
  /** Other nodes whose releases are kept. */
  public static final int MAX_NODES = 4096;
  /** Format of rows written now (releases with running totals and creator rows); older rows are not read. */
  static final int FORMAT = 2;

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

  /**
   * Verifies and stores a release served by the peer whose Ed25519 key is {@code peerKey} (64 hex); returns it.
   * Re-receiving a stored release is a no-op.
   */
  public SignedRelease accept(byte[] wire, String peerKey) throws InvalidReleaseException {
    SignedRelease sr = SignedRelease.decode(wire);
    SignalRelease r = sr.release();
    if (!r.nodeKey().equals(peerKey)) {
      throw new InvalidReleaseException("release is signed by node_key " + r.nodeKey() + ", not by the key of the"
          + " peer that served it (" + peerKey + "); a node publishes only its own release");
    }
    if (r.nodeKey().equals(ownKey)) {
      throw new InvalidReleaseException("release claims this node's own key");
    }
    long now = clock.instant().getEpochSecond();
    long closesAt = r.epoch() >= Long.MAX_VALUE / r.epochSeconds() - 1 ? Long.MAX_VALUE
        : (r.epoch() + 1) * r.epochSeconds();
    if (closesAt > now + CLOCK_SKEW.toSeconds()) {
      throw new InvalidReleaseException("release is for epoch " + r.epoch() + ", which closes at " + closesAt
          + " (unix seconds), after now (" + now + "); only closed epochs are released");
    }
    db.lock().lock();
    try {
      Optional<byte[]> existing = wire(r.nodeKey(), r.epoch());
      if (existing.isPresent()) {
        if (Arrays.equals(existing.get(), wire)) {
          return sr;
        }
        throw new InvalidReleaseException("conflicting release: node " + r.nodeKey() + " already published a"
            + " different signed release for epoch " + r.epoch() + "; the first one is kept");
      }
      List<Long> stored = db.longs("SELECT epoch FROM signal_releases WHERE node_key = ? AND format = " + FORMAT
          + " ORDER BY epoch", r.nodeKey());
      if (!stored.isEmpty() && stored.getLast() > r.epoch()) {
        throw new InvalidReleaseException("release for epoch " + r.epoch() + " is older than the one kept from node "
            + r.nodeKey() + " (epoch " + stored.getLast() + ")");
      }
      if (stored.isEmpty() && nodeCount() >= MAX_NODES) {
        throw new InvalidReleaseException("release store is full (" + MAX_NODES + " nodes); not keeping node "
            + r.nodeKey());
      }
      try {
        insertUncommitted(sr, false);
        try (PreparedStatement ps = db.connection().prepareStatement("DELETE FROM signal_releases WHERE node_key = ?"
            + " AND epoch NOT IN (SELECT epoch FROM signal_releases WHERE node_key = ? ORDER BY epoch DESC LIMIT ?)")) {
          ps.setString(1, r.nodeKey());
          ps.setString(2, r.nodeKey());
          ps.setInt(3, KEPT_PER_NODE);
          ps.executeUpdate();
        }
        db.connection().commit();
      } catch (SQLException e) {
        rollback();
        throw new IllegalStateException("cannot store release: " + e.getMessage(), e);
      }
    } finally {
      db.lock().unlock();
    }
    invalidate();
    return sr;
  }

  private long nodeCount() {
    return db.longs("SELECT COUNT(DISTINCT node_key) FROM signal_releases WHERE node_key <> ?", ownKey).getFirst();
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

  /** This node's newest release of an epoch before {@code epoch} (whose rows are public when it releases next). */
  Optional<SignalRelease> ownBefore(long epoch) {
    List<Long> epochs = db.longs("SELECT epoch FROM signal_releases WHERE node_key = ? AND format = " + FORMAT
        + " ORDER BY epoch", ownKey);
    for (int i = epochs.size() - 1; i >= 0; i--) {
      if (epochs.get(i) < epoch) {
        return own(epochs.get(i)).map(SignedRelease::release);
      }
    }
    return Optional.empty();
  }

  /** Epochs this node has released (in any format), ascending. */
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
    db.lock().lock();
    try {
      try (PreparedStatement ps = db.connection().prepareStatement(
          "SELECT s.node_key, s.wire FROM signal_releases s JOIN (SELECT node_key, MAX(epoch) AS e FROM"
              + " signal_releases WHERE format = " + FORMAT + " GROUP BY node_key) m ON s.node_key = m.node_key"
              + " AND s.epoch = m.e");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), decodeStored(rs.getBytes(2)));
        }
        db.connection().commit();
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read releases: " + e.getMessage(), e);
      }
    } finally {
      db.lock().unlock();
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

  /** Every node's latest released signal for the creator named {@code creator} (as in its signed entries). */
  public List<CreatorSignal> creatorSignals(String creator) {
    String key = CreatorKey.of(creator);
    List<CreatorSignal> out = new ArrayList<>();
    for (SignedRelease sr : latestPerNode().values()) {
      SignalRelease r = sr.release();
      UnitParameters p = r.creatorUnit();
      r.creatorRow(key).ifPresent(row -> out.add(new CreatorSignal(r.nodeKey(), r.epoch(), r.windowStart(), key,
          row.noisyPayers(), row.noisySum(), p.nodes(), p.countScale(), p.sumScale(), p.threshold())));
    }
    return out;
  }

  /**
   * This node's own released payer count of {@code cid}, 0 when its latest release has no row for it (ranking
   * weighs other nodes' releases itself). Post-processing of released values, so it costs no budget.
   */
  public long payerSignal(String cid) {
    Map<String, Long> table = payerTable;
    if (table == null) {
      Map<String, Long> t = new HashMap<>();
      SignedRelease own = latestPerNode().get(ownKey);
      if (own != null) {
        for (SignalRow row : own.release().rows()) {
          t.put(row.cid(), Math.max(0, row.noisyPayers()));
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
    try (PreparedStatement ps = db.connection().prepareStatement(
        "INSERT INTO signal_releases(node_key, epoch, own, wire, received_at, format) VALUES (?,?,?,?,?,?)")) {
      ps.setString(1, sr.release().nodeKey());
      ps.setLong(2, sr.release().epoch());
      ps.setInt(3, own ? 1 : 0);
      ps.setBytes(4, sr.encode());
      ps.setLong(5, clock.millis());
      ps.setInt(6, FORMAT);
      ps.executeUpdate();
    }
  }

  private Optional<byte[]> wire(String nodeKey, long epoch) {
    db.lock().lock();
    try {
      try (PreparedStatement ps = db.connection().prepareStatement(
          "SELECT wire FROM signal_releases WHERE node_key = ? AND epoch = ? AND format = " + FORMAT)) {
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
    } finally {
      db.lock().unlock();
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
