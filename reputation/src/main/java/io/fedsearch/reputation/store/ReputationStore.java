package io.fedsearch.reputation.store;

import io.fedsearch.reputation.model.CreatorObservation;
import io.fedsearch.reputation.model.PlatformEdge;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.ReputationConfig;
import io.fedsearch.reputation.model.SignalObservation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The node's reputation inputs and latest scores, in SQLite ({@code reputation.db} in the node directory, WAL,
 * synchronous FULL): every write is committed before the call returns, so an accepted release is never lost.
 *
 * <p>Tables: {@code meta} (config JSON, current epoch), {@code observation} (one row per platform, epoch, CID; a
 * platform's release for an epoch replaces its earlier one), {@code creator_observation} (likewise for the creator
 * unit: one row per platform, epoch, creator), {@code creator_cid} (CID → creator from verified
 * entries), {@code platform_edge} (total drops paid from one platform to another; latest total wins),
 * {@code score} (the last recompute, for reading without recomputing).
 */
public final class ReputationStore implements AutoCloseable {
  public static final String FILE = "reputation.db";
  private final Connection db;
  /**
   * Serializes use of the one connection. A lock rather than {@code synchronized}: every call does SQLite I/O (and
   * writes fsync), which inside a monitor would pin a virtual thread to its carrier.
   */
  private final ReentrantLock lock = new ReentrantLock();

  private ReputationStore(Connection db) {
    this.db = db;
  }

  /** Opens (creating when absent) the store of {@code nodeDir}. */
  public static ReputationStore open(Path nodeDir) {
    try {
      Files.createDirectories(nodeDir);
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + nodeDir.resolve(FILE));
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=10000");
      }
      ReputationSchema.MIGRATIONS.migrate(c);
      c.setAutoCommit(false);
      return new ReputationStore(c);
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalStateException("cannot open " + nodeDir.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  public static boolean exists(Path nodeDir) {
    return Files.isRegularFile(nodeDir.resolve(FILE));
  }

  public Optional<ReputationConfig> config() {
    lock.lock();
    try {
      return meta("config").map(ReputationConfig::fromJson);
    } finally {
      lock.unlock();
    }
  }

  public void saveConfig(ReputationConfig config) {
    lock.lock();
    try {
      putMeta("config", config.toJson());
    } finally {
      lock.unlock();
    }
  }

  public Optional<Long> epoch() {
    lock.lock();
    try {
      return meta("epoch").map(Long::parseLong);
    } finally {
      lock.unlock();
    }
  }

  public void saveEpoch(long epoch) {
    lock.lock();
    try {
      putMeta("epoch", Long.toString(epoch));
    } finally {
      lock.unlock();
    }
  }

  /** Replaces {@code platform}'s rows for {@code epoch} with {@code rows} in one transaction. */
  public void replaceRelease(NodePublicKey platform, long epoch, List<SignalObservation> rows) {
    lock.lock();
    try {
      String key = platform.hex();
      try (PreparedStatement del = db.prepareStatement("DELETE FROM observation WHERE platform = ? AND epoch = ?");
          PreparedStatement ins = db.prepareStatement("INSERT INTO observation(platform, epoch, cid, noisy_payers,"
              + " noisy_sum, payer_sd, sum_sd, threshold, window_start, nodes)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        del.setString(1, key);
        del.setLong(2, epoch);
        del.executeUpdate();
        for (SignalObservation o : rows) {
          ins.setString(1, key);
          ins.setLong(2, epoch);
          ins.setString(3, o.cid());
          ins.setDouble(4, o.noisyPayers());
          ins.setDouble(5, o.noisySum());
          ins.setDouble(6, o.payerNoiseStddev());
          ins.setDouble(7, o.sumNoiseStddev());
          ins.setDouble(8, o.releaseThreshold());
          ins.setLong(9, o.windowStart());
          ins.setInt(10, o.nodes());
          ins.addBatch();
        }
        ins.executeBatch();
        db.commit();
      } catch (SQLException e) {
        throw rollback("store release", e);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Replaces {@code platform}'s creator-unit rows for {@code epoch} with {@code rows} in one transaction. */
  public void replaceCreatorRelease(NodePublicKey platform, long epoch, List<CreatorObservation> rows) {
    lock.lock();
    try {
      String key = platform.hex();
      try (PreparedStatement del = db.prepareStatement(
              "DELETE FROM creator_observation WHERE platform = ? AND epoch = ?");
          PreparedStatement ins = db.prepareStatement(
              "INSERT INTO creator_observation VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        del.setString(1, key);
        del.setLong(2, epoch);
        del.executeUpdate();
        for (CreatorObservation o : rows) {
          ins.setString(1, key);
          ins.setLong(2, epoch);
          ins.setString(3, o.creator());
          ins.setLong(4, o.windowStart());
          ins.setInt(5, o.nodes());
          ins.setDouble(6, o.noisyPayers());
          ins.setDouble(7, o.noisySum());
          ins.setDouble(8, o.payerNoiseStddev());
          ins.setDouble(9, o.sumNoiseStddev());
          ins.setDouble(10, o.releaseThreshold());
          ins.addBatch();
        }
        ins.executeBatch();
        db.commit();
      } catch (SQLException e) {
        throw rollback("store creator release", e);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Streams every stored creator-unit observation. */
  public void forEachCreatorObservation(Consumer<CreatorObservation> sink) {
    lock.lock();
    try {
      query("SELECT platform, epoch, creator, window_start, nodes, noisy_payers, noisy_sum, payer_sd, sum_sd, threshold"
          + " FROM creator_observation ORDER BY platform, epoch", rs -> sink.accept(new CreatorObservation(
              NodePublicKey.fromHex(rs.getString(1)), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getInt(5),
              rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getDouble(9), rs.getDouble(10))));
    } finally {
      lock.unlock();
    }
  }

  public void putCreators(List<String[]> cidCreatorPairs) {
    lock.lock();
    try {
      try (PreparedStatement ins = db.prepareStatement("INSERT OR IGNORE INTO creator_cid VALUES (?, ?)")) {
        for (String[] p : cidCreatorPairs) {
          ins.setString(1, p[0]);
          ins.setString(2, p[1]);
          ins.addBatch();
        }
        ins.executeBatch();
        db.commit();
      } catch (SQLException e) {
        throw rollback("store creators", e);
      }
    } finally {
      lock.unlock();
    }
  }

  public void putEdges(List<PlatformEdge> edges) {
    lock.lock();
    try {
      try (PreparedStatement ins = db.prepareStatement("INSERT OR REPLACE INTO platform_edge VALUES (?, ?, ?)")) {
        for (PlatformEdge e : edges) {
          ins.setString(1, e.from().hex());
          ins.setString(2, e.to().hex());
          ins.setLong(3, e.drops());
          ins.addBatch();
        }
        ins.executeBatch();
        db.commit();
      } catch (SQLException e) {
        throw rollback("store edges", e);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Streams every stored observation. */
  public void forEachObservation(Consumer<SignalObservation> sink) {
    lock.lock();
    try {
      query("SELECT platform, epoch, cid, noisy_payers, noisy_sum, payer_sd, sum_sd, threshold,"
          + " coalesce(window_start, epoch), nodes FROM observation ORDER BY platform, epoch",
          rs -> sink.accept(new SignalObservation(NodePublicKey.fromHex(rs.getString(1)), rs.getLong(2), rs.getString(3),
              rs.getDouble(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getLong(9),
              rs.getInt(10))));
    } finally {
      lock.unlock();
    }
  }

  public void forEachCreator(BiConsumer<String, String> sink) {
    lock.lock();
    try {
      query("SELECT cid, creator FROM creator_cid", rs -> sink.accept(rs.getString(1), rs.getString(2)));
    } finally {
      lock.unlock();
    }
  }

  public List<PlatformEdge> edges() {
    lock.lock();
    try {
      List<PlatformEdge> out = new ArrayList<>();
      query("SELECT from_key, to_key, drops FROM platform_edge", rs -> out.add(new PlatformEdge(
          NodePublicKey.fromHex(rs.getString(1)), NodePublicKey.fromHex(rs.getString(2)), rs.getLong(3))));
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** A stored score row. */
  public record StoredScore(String creator, long epoch, double score, double low, double high, double evidence) {}

  /** Replaces the stored scores with {@code scores} (one transaction). */
  public void replaceScores(Iterable<StoredScore> scores) {
    lock.lock();
    try {
      try (Statement del = db.createStatement();
          PreparedStatement ins = db.prepareStatement("INSERT INTO score VALUES (?, ?, ?, ?, ?, ?)")) {
        del.executeUpdate("DELETE FROM score");
        int batch = 0;
        for (StoredScore s : scores) {
          ins.setString(1, s.creator());
          ins.setLong(2, s.epoch());
          ins.setDouble(3, s.score());
          ins.setDouble(4, s.low());
          ins.setDouble(5, s.high());
          ins.setDouble(6, s.evidence());
          ins.addBatch();
          if (++batch % 10_000 == 0) {
            ins.executeBatch();
          }
        }
        ins.executeBatch();
        db.commit();
      } catch (SQLException e) {
        throw rollback("store scores", e);
      }
    } finally {
      lock.unlock();
    }
  }

  public Optional<StoredScore> storedScore(String creator) {
    lock.lock();
    try {
      List<StoredScore> out = new ArrayList<>();
      try (PreparedStatement q = db.prepareStatement(
          "SELECT creator, epoch, score, low, high, evidence FROM score WHERE creator = ?")) {
        q.setString(1, creator);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            out.add(new StoredScore(rs.getString(1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4),
                rs.getDouble(5), rs.getDouble(6)));
          }
        }
        db.commit();
      } catch (SQLException e) {
        throw rollback("read score", e);
      }
      return out.stream().findFirst();
    } finally {
      lock.unlock();
    }
  }

  private Optional<String> meta(String key) {
    try (PreparedStatement q = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      q.setString(1, key);
      try (ResultSet rs = q.executeQuery()) {
        Optional<String> v = rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        db.commit();
        return v;
      }
    } catch (SQLException e) {
      throw rollback("read " + key, e);
    }
  }

  private void putMeta(String key, String value) {
    try (PreparedStatement q = db.prepareStatement("INSERT OR REPLACE INTO meta VALUES (?, ?)")) {
      q.setString(1, key);
      q.setString(2, value);
      q.executeUpdate();
      db.commit();
    } catch (SQLException e) {
      throw rollback("write " + key, e);
    }
  }

  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private void query(String sql, RowReader reader) {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        reader.read(rs);
      }
      db.commit();
    } catch (SQLException e) {
      throw rollback("read", e);
    }
  }

  private IllegalStateException rollback(String what, SQLException e) {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // the original failure is the one worth reporting
    }
    return new IllegalStateException("reputation store: cannot " + what + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      try {
        db.close();
      } catch (SQLException e) {
        throw new IllegalStateException("reputation store: close failed: " + e.getMessage(), e);
      }
    } finally {
      lock.unlock();
    }
  }
}
