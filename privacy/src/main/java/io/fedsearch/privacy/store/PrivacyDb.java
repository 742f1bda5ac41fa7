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
      }
      PrivacySchema.MIGRATIONS.migrate(c);
      c.setAutoCommit(false);
      c.commit();
      return new PrivacyDb(file, c);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create node directory " + nodeDir, e);
    }
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
