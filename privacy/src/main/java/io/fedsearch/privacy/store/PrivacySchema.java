package io.fedsearch.privacy.store;

import io.fedsearch.core.sqlite.Migrations;
import java.util.List;

/**
 * The schema steps of {@code privacy.db}. Step 1 is the schema nodes wrote before versions were kept; a step, once
 * released, is never edited: a change is a new step.
 */
final class PrivacySchema {
  private PrivacySchema() {}

  static final Migrations MIGRATIONS = new Migrations(PrivacyDb.FILE, List.of(
      // 1: encrypted payment events, the budget ledger, signal releases.
      s -> {
        s.execute("""
            CREATE TABLE IF NOT EXISTS payment_events (
              id INTEGER PRIMARY KEY,
              epoch_seconds INTEGER NOT NULL,
              epoch INTEGER NOT NULL,
              ciphertext BLOB NOT NULL)""");
        s.execute("CREATE INDEX IF NOT EXISTS payment_events_epoch ON payment_events(epoch_seconds, epoch)");
        s.execute("""
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
        s.execute("""
            CREATE TABLE IF NOT EXISTS signal_releases (
              node_key TEXT NOT NULL,
              epoch INTEGER NOT NULL,
              own INTEGER NOT NULL,
              wire BLOB NOT NULL,
              received_at INTEGER NOT NULL,
              PRIMARY KEY (node_key, epoch))""");
      },
      // 2: continual release. Noisy values of this node's own tree nodes (what later windows sum); the ledger says
      // which unit and tree node each spend was for; releases stored before format 2 (one epoch, CID rows only) stay
      // for the record but are no longer read.
      s -> {
        s.execute("""
            CREATE TABLE IF NOT EXISTS signal_nodes (
              unit TEXT NOT NULL,
              start INTEGER NOT NULL,
              length INTEGER NOT NULL,
              key TEXT NOT NULL,
              payers INTEGER NOT NULL,
              drops INTEGER NOT NULL,
              PRIMARY KEY (unit, start, length, key))""");
        Migrations.addColumn(s, "budget_ledger", "unit", "TEXT NOT NULL DEFAULT 'cids'");
        Migrations.addColumn(s, "budget_ledger", "node_start", "INTEGER NOT NULL DEFAULT -1");
        Migrations.addColumn(s, "budget_ledger", "node_length", "INTEGER NOT NULL DEFAULT 1");
        Migrations.addColumn(s, "signal_releases", "format", "INTEGER NOT NULL DEFAULT 1");
      }));
}
