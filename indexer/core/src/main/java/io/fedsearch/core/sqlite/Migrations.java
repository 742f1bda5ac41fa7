package io.fedsearch.core.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Numbered schema steps for one SQLite database, keyed on {@code PRAGMA user_version}: a database at version
 * {@code v} runs steps {@code v+1..n}, each in its own {@code BEGIN IMMEDIATE} transaction that also sets the
 * version, so a crash mid-upgrade leaves the database at the last whole step. {@code CREATE TABLE IF NOT EXISTS}
 * alone never reaches a node whose table already exists; a numbered step does.
 *
 * <p>Steps must be idempotent: databases written before versions were kept are all at version 0 and may already
 * hold some of a later step's tables or columns (use {@code IF NOT EXISTS} and {@link #addColumn}).
 *
 * <p>This lives in {@code privacy} because it is the bottom of the module graph: {@code reputation} and
 * {@code federation} (payments) both depend on it, so the helper is written once for all three databases.
 */
public final class Migrations {
  /** One schema step; runs inside the step's transaction. */
  @FunctionalInterface
  public interface Step {
    void apply(Statement s) throws SQLException;
  }

  private final String database;
  private final List<Step> steps;

  /** {@code steps.get(0)} is version 1. */
  public Migrations(String database, List<Step> steps) {
    this.database = database;
    this.steps = List.copyOf(steps);
  }

  /** The version a database has once {@link #migrate} has run. */
  public int latest() {
    return steps.size();
  }

  /**
   * Brings {@code c} (in auto-commit mode) to {@link #latest}; returns the version it had. Refuses a database written
   * by a newer schema than this code knows, rather than writing rows that code would misread.
   */
  public int migrate(Connection c) throws SQLException {
    int before = version(c);
    if (before > latest()) {
      throw new SQLException(database + " has schema version " + before + ", newer than this node's " + latest()
          + ": run the node version that wrote it");
    }
    try (Statement s = c.createStatement()) {
      while (true) {
        s.execute("BEGIN IMMEDIATE"); // re-read under the write lock: another process may have migrated meanwhile
        int v;
        try {
          v = version(s);
          if (v >= latest()) {
            s.execute("COMMIT");
            return before;
          }
          steps.get(v).apply(s);
          s.execute("PRAGMA user_version = " + (v + 1));
          s.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
          try {
            s.execute("ROLLBACK");
          } catch (SQLException ignored) {
            // the step's failure is the one worth reporting
          }
          throw new SQLException(database + ": schema step failed: " + e.getMessage(), e);
        }
      }
    }
  }

  /** The database's {@code user_version}. */
  public static int version(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      return version(s);
    }
  }

  private static int version(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /**
   * Adds {@code column} to {@code table} unless it is there already (a node written between two versions may have
   * it); returns whether it was added.
   */
  public static boolean addColumn(Statement s, String table, String column, String type) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        if (rs.getString("name").equals(column)) {
          return false;
        }
      }
    }
    s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    return true;
  }
}
