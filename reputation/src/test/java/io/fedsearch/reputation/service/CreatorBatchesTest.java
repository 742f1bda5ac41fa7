package io.fedsearch.reputation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.reputation.TestKeys;
import io.fedsearch.reputation.model.ReputationConfig;
import io.fedsearch.reputation.store.ReputationStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreatorBatchesTest {
  @TempDir
  Path dir;

  @Test
  void pairsWaitingWhileTheDatabaseIsBusyAreBoundedOldestDroppedAndTheRestWritten() throws Exception {
    try (ReputationService reputation = ReputationService.open(dir, ReputationConfig.defaults(), TestKeys.signer());
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ReputationStore.FILE));
        Statement st = other.createStatement()) {
      CreatorBatches batches = reputation.creatorBatches();
      st.execute("BEGIN IMMEDIATE"); // another writer holds the database
      batches.offer(Map.of("bafy-first", "first"));
      int more = CreatorBatches.MAX_PENDING + 5;
      Map<String, String> many = new LinkedHashMap<>();
      for (int i = 0; i < more; i++) {
        many.put("bafy-" + i, "maker " + i);
      }
      batches.offer(many); // returns at once although nothing can be written now
      long dropped = batches.dropped();
      // Five of the bulk are over the bound; the first pair too unless the writer had taken it already.
      assertThat(dropped).isBetween(5L, 6L);
      st.execute("ROLLBACK");
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
          .until(() -> reputation.creatorNames().contains("maker " + (more - 1)));
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
          .until(() -> reputation.creatorNames().size() == more + 1 - dropped);
      assertThat(reputation.creatorNames()).doesNotContain("maker 0", "maker 4").contains("maker 5");
    }
  }

  @Test
  void anInvalidPairIsSkippedAloneAndWhatIsOfferedIsDurable() {
    try (ReputationService reputation = ReputationService.open(dir, ReputationConfig.defaults(), TestKeys.signer())) {
      Map<String, String> pairs = new LinkedHashMap<>();
      pairs.put("bafy-blank", " ");
      pairs.put("bafy-long", "x".repeat(100_000));
      pairs.put("bafy-ok", "maker");
      reputation.creatorBatches().offer(pairs);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> reputation.creatorNames().contains("maker"));
      assertThat(reputation.creatorNames()).containsExactly("maker");
    }
    try (ReputationService again = ReputationService.openExisting(dir, TestKeys.signer())) {
      assertThat(again.creatorNames()).containsExactly("maker");
    }
  }
}
