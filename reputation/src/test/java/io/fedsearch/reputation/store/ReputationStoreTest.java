package io.fedsearch.reputation.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.reputation.TestKeys;
import io.fedsearch.reputation.model.SignalObservation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReputationStoreTest {
  @TempDir
  Path dir;

  /** A reputation.db written before releases carried windows opens, its rows read as per-epoch rows. */
  @Test
  void rowsStoredBeforeWindowsReadAsPerEpochRows() throws Exception {
    String platform = TestKeys.platform(3).hex();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ReputationStore.FILE));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE observation(platform TEXT NOT NULL, epoch INTEGER NOT NULL, cid TEXT NOT NULL,"
          + " noisy_payers REAL NOT NULL, noisy_sum REAL NOT NULL, payer_sd REAL NOT NULL, sum_sd REAL NOT NULL,"
          + " threshold REAL NOT NULL, PRIMARY KEY(platform, epoch, cid)) WITHOUT ROWID");
      s.execute("INSERT INTO observation VALUES ('" + platform + "', 7, 'bafy-old', 40, 40000, 2.7, 28000, 25)");
    }
    try (ReputationStore store = ReputationStore.open(dir)) {
      List<SignalObservation> rows = new ArrayList<>();
      store.forEachObservation(rows::add);
      assertThat(rows).containsExactly(new SignalObservation(TestKeys.platform(3), 7, "bafy-old", 40, 40_000, 2.7,
          28_000, 25));
      assertThat(rows.get(0).span()).isEqualTo(1);
      // and new rows keep their window
      store.replaceRelease(TestKeys.platform(3), 9, List.of(new SignalObservation(TestKeys.platform(3), 9, "bafy-new",
          80, 80_000, 3.9, 40_000, 25, 2, 2)));
      rows.clear();
      store.forEachObservation(rows::add);
      assertThat(rows).extracting(SignalObservation::span).containsExactly(1, 8);
    }
  }
}
