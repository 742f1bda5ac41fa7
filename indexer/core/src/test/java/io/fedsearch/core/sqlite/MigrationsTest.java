package io.fedsearch.core.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
  @TempDir
  Path dir;

  private Connection open() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
  }

  private static final Migrations.Step CREATE_A = s -> s.execute("CREATE TABLE IF NOT EXISTS a(x INTEGER)");
  private static final Migrations.Step ADD_B = s -> Migrations.addColumn(s, "a", "y", "INTEGER NOT NULL DEFAULT 4");

  @Test
  void runsEachStepOnceAndRecordsTheVersion() throws Exception {
    try (Connection c = open()) {
      assertThat(new Migrations("t.db", List.of(CREATE_A)).migrate(c)).isZero();
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO a(x) VALUES (1)");
      }
      assertThat(new Migrations("t.db", List.of(CREATE_A, ADD_B)).migrate(c)).isEqualTo(1);
      assertThat(new Migrations("t.db", List.of(CREATE_A, ADD_B)).migrate(c)).isEqualTo(2);
      assertThat(Migrations.version(c)).isEqualTo(2);
      assertThat(c.getAutoCommit()).isTrue();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT x, y FROM a")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getInt(2)).isEqualTo(4);
      }
    }
  }

  @Test
  void aFailingStepLeavesTheDatabaseAtTheLastWholeStep() throws Exception {
    Migrations.Step halfThenFail = s -> {
      s.execute("CREATE TABLE b(z INTEGER)");
      s.execute("THIS IS NOT SQL");
    };
    try (Connection c = open()) {
      assertThatThrownBy(() -> new Migrations("t.db", List.of(CREATE_A, halfThenFail)).migrate(c))
          .isInstanceOf(SQLException.class).hasMessageContaining("t.db");
      assertThat(Migrations.version(c)).isEqualTo(1);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'b'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the failed step's table was rolled back").isZero();
      }
      // fixed code runs the step again from where it stopped
      new Migrations("t.db", List.of(CREATE_A, s -> s.execute("CREATE TABLE b(z INTEGER)"))).migrate(c);
      assertThat(Migrations.version(c)).isEqualTo(2);
    }
  }

  @Test
  void refusesADatabaseFromANewerSchema() throws Exception {
    try (Connection c = open()) {
      new Migrations("t.db", List.of(CREATE_A, ADD_B)).migrate(c);
      assertThatThrownBy(() -> new Migrations("t.db", List.of(CREATE_A)).migrate(c))
          .isInstanceOf(SQLException.class).hasMessageContaining("schema version 2");
      assertThat(Migrations.version(c)).isEqualTo(2);
    }
  }
}
