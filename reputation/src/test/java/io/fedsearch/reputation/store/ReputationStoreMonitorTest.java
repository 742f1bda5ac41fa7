package io.fedsearch.reputation.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store reads and writes SQLite while holding its lock: that lock must not be the object's monitor, which on
 * JDK 21 pins a virtual thread to its carrier for the whole I/O.
 */
class ReputationStoreMonitorTest {
  @Test
  void readsRunWithoutHoldingTheStoresMonitor(@TempDir Path dir) {
    try (ReputationStore store = ReputationStore.open(dir)) {
      store.putCreators(List.<String[]>of(new String[] {"bafy-one", "ann"}));
      List<Boolean> heldMonitor = new ArrayList<>();
      store.forEachCreator((cid, creator) -> heldMonitor.add(Thread.holdsLock(store)));
      assertThat(heldMonitor).containsExactly(false);
    }
  }
}
