package io.fedsearch.reputation.store;

import io.fedsearch.core.sqlite.Migrations;
import java.util.List;

/**
 * The schema steps of {@code reputation.db} (tables described on {@link ReputationStore}). Step 1 is the schema
 * nodes wrote before versions were kept; a step, once released, is never edited: a change is a new step.
 */
final class ReputationSchema {
  private ReputationSchema() {}

  static final Migrations MIGRATIONS = new Migrations(ReputationStore.FILE, List.of(
      // 1: per-epoch CID observations, CID → creator, payment edges, scores.
      s -> {
        s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
        s.execute("CREATE TABLE IF NOT EXISTS observation(platform TEXT NOT NULL, epoch INTEGER NOT NULL,"
            + " cid TEXT NOT NULL, noisy_payers REAL NOT NULL, noisy_sum REAL NOT NULL, payer_sd REAL NOT NULL,"
            + " sum_sd REAL NOT NULL, threshold REAL NOT NULL, PRIMARY KEY(platform, epoch, cid)) WITHOUT ROWID");
        s.execute("CREATE TABLE IF NOT EXISTS creator_cid(cid TEXT PRIMARY KEY, creator TEXT NOT NULL) WITHOUT ROWID");
        s.execute("CREATE TABLE IF NOT EXISTS platform_edge(from_key TEXT NOT NULL, to_key TEXT NOT NULL,"
            + " drops INTEGER NOT NULL, PRIMARY KEY(from_key, to_key)) WITHOUT ROWID");
        s.execute("CREATE TABLE IF NOT EXISTS score(creator TEXT PRIMARY KEY, epoch INTEGER NOT NULL,"
            + " score REAL NOT NULL, low REAL NOT NULL, high REAL NOT NULL, evidence REAL NOT NULL) WITHOUT ROWID");
      },
      // 2: releases carry windows. Rows stored before are per-epoch rows, and the defaults say so (window start
      // NULL = the row's epoch, one node); the creator unit gets its own observations.
      s -> {
        Migrations.addColumn(s, "observation", "window_start", "INTEGER");
        Migrations.addColumn(s, "observation", "nodes", "INTEGER NOT NULL DEFAULT 1");
        s.execute("CREATE TABLE IF NOT EXISTS creator_observation(platform TEXT NOT NULL, epoch INTEGER NOT NULL,"
            + " creator TEXT NOT NULL, window_start INTEGER NOT NULL, nodes INTEGER NOT NULL,"
            + " noisy_payers REAL NOT NULL, noisy_sum REAL NOT NULL, payer_sd REAL NOT NULL, sum_sd REAL NOT NULL,"
            + " threshold REAL NOT NULL, PRIMARY KEY(platform, epoch, creator)) WITHOUT ROWID");
      }));
}
