package io.fedsearch.privacy.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node's {@value #FILE} (SQLite, WAL, {@code synchronous=FULL} so a commit is on disk before it is
 * acknowledged): encrypted payment events, the budget ledger and signal releases. One connection, used under this
 * object's lock by the store classes.
 */
public final class PrivacyDb implements AutoCloseable {
  public static final String FILE = "privacy.db";

  private final Connection conn;
  private final Path file;
  private final ReentrantLock lock = new ReentrantLock();

  private PrivacyDb(Path file, Connection conn) {
    this.file = file;
    this.conn = conn;
  }

  public static PrivacyDb open(Path nodeDir) {
    Path file = nodeDir.resolve(FILE);
    try {
      Files.createDirectories(nodeDir);
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=FULL");
        st.execute("PRAGMA busy_timeout=10000");
        st.execute("""
            CREATE TABLE IF NOT EXISTS payment_events (
              id INTEGER PRIMARY KEY,
              epoch_seconds INTEGER NOT NULL,
              epoch INTEGER NOT NULL,
              ciphertext BLOB NOT NULL)""");
        st.execute("CREATE INDEX IF NOT EXISTS payment_events_epoch ON payment_events(epoch_seconds, epoch)");
        st.execute("""
            CREATE TABLE IF NOT EXISTS budget_ledger (
              seq INTEGER PRIMARY KEY,
              epoch INTEGER NOT NULL,
              mechanism TEXT NOT NULL,
              epsilon TEXT NOT NULL,
              delta TEXT NOT NULL,
              rho TEXT NOT NULL,
              selection_delta TEXT NOT NULL,
              spent_at INTEGER NOT NULL,
              note TEXT NOT NULL)""");
        st.execute("""
            CREATE TABLE IF NOT EXISTS signal_releases (
              node_key TEXT NOT NULL,
              epoch INTEGER NOT NULL,
              own INTEGER NOT NULL,
              wire BLOB NOT NULL,
              received_at INTEGER NOT NULL,
              PRIMARY KEY (node_key, epoch))""");
        // Noisy values of this node's own tree nodes (continual release): what later windows sum.
        st.execute("""
            CREATE TABLE IF NOT EXISTS signal_nodes (
              unit TEXT NOT NULL,
              start INTEGER NOT NULL,
              length INTEGER NOT NULL,
              key TEXT NOT NULL,
              payers INTEGER NOT NULL,
              drops INTEGER NOT NULL,
              PRIMARY KEY (unit, start, length, key))""");
        addColumn(st, "budget_ledger", "unit", "TEXT NOT NULL DEFAULT 'cids'");
        addColumn(st, "budget_ledger", "node_start", "INTEGER NOT NULL DEFAULT -1");
        addColumn(st, "budget_ledger", "node_length", "INTEGER NOT NULL DEFAULT 1");
        // Releases stored before format 2 (one epoch, CID rows only) stay for the record but are no longer read.
        addColumn(st, "signal_releases", "format", "INTEGER NOT NULL DEFAULT 1");
      }
      c.setAutoCommit(false);
      c.commit();
      return new PrivacyDb(file, c);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create node directory " + nodeDir, e);
    }
  }

  private static void addColumn(Statement st, String table, String column, String type) throws SQLException {
    try (ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        if (rs.getString("name").equals(column)) {
          return;
        }
      }
    }
    st.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
  }

  /** The connection; callers hold {@link #lock()} and commit or roll back. */
  public Connection connection() {
    return conn;
  }

  /**
   * The lock every use of {@link #connection()} holds. A lock rather than this object's monitor: the statements
   * under it do SQLite I/O (writes fsync), which inside a monitor would pin a virtual thread to its carrier.
   */
  public ReentrantLock lock() {
    return lock;
  }

  public Path file() {
    return file;
  }

  /** The first column of {@code sql} (one bound parameter) as longs, read under {@link #lock()}. */
  public List<Long> longs(String sql, Object parameter) {
    lock.lock();
    try {
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        ps.setObject(1, parameter);
        List<Long> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getLong(1));
          }
        }
        conn.commit();
        return out;
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      conn.close();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close " + file, e);
    } finally {
      lock.unlock();
    }
  }
}
