package io.fedsearch.reputation.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.privacy.node.PrivacyService;
import io.fedsearch.privacy.records.PaymentEvent;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.reputation.TestKeys;
import io.fedsearch.reputation.model.ReputationConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real release of the privacy module, fed to reputation: its creator unit scores a creator no CID row does. */
class ReleaseIngestTest {
  @TempDir
  Path dir;

  @Test
  void aCreatorWhoseWorksSellModestlyIsScoredFromTheCreatorUnit() throws Exception {
    RecordSigner signer = TestKeys.signer();
    Instant day = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(2));
    try (PrivacyService privacy = PrivacyService.open(dir.resolve("p"), signer, ReleaseConfig.defaults());
        ReputationService reputation = ReputationService.open(dir.resolve("r"), ReputationConfig.defaults(),
            signer)) {
      // 400 payers, each buying one of alice's 40 works: no work clears the CID threshold, alice does
      List<PaymentEvent> sales = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        sales.add(new PaymentEvent("bafyalice" + (i % 40), "rPayer" + i, 1_000_000, day.plusSeconds(60 + i),
            "alice"));
      }
      privacy.recordAll(sales);
      for (int w = 0; w < 40; w++) {
        reputation.putCreator("bafyalice" + w, "alice");
      }
      SignedRelease r = privacy.release(privacy.config().epochOf(day.getEpochSecond()));
      assertThat(r.release().rows()).isEmpty();
      assertThat(r.release().creatorRows()).hasSize(1);
      assertThat(ReleaseIngest.ingest(reputation, r)).isEqualTo(1);
      reputation.recompute(r.release().epoch());
      assertThat(reputation.lookup("alice").orElseThrow().score()).isPositive();
    }
  }
}
