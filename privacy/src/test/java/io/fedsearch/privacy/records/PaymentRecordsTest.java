package io.fedsearch.privacy.records;

import io.fedsearch.core.time.SimClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.privacy.TestRandom;
import io.fedsearch.privacy.TestSigners;
import io.fedsearch.privacy.node.PrivacyService;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.signing.RecordSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Encrypted payment records: round trip, pseudonyms, rotation, tampering, row swaps, missing keysets. */
@Timeout(60)
class PaymentRecordsTest {
  private static final String CID_A = "bafyreia2ycvsdbnxtbxtqjcljqn2gmwebfrfrxeoqbmgmggpc4s53gnvhe";
  private static final String CID_B = "bafyreibmpmhdo6bjqwqywkdmgzuc2mbyxfdaopnetk7asnzn4ijqpyfmta";
  private static final String PAYER = "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh";
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  @TempDir Path dir;
  RecordSigner signer;
  SimClock clock;

  @BeforeEach
  void setUp() {
    signer = TestSigners.fresh();
    clock = new SimClock(T0.plusSeconds(86400 * 2));
  }

  private PrivacyService open() {
    return PrivacyService.open(dir, signer, ReleaseConfig.defaults(), new TestRandom(1), clock);
  }

  private long epoch() {
    return ReleaseConfig.defaults().epochOf(T0.getEpochSecond());
  }

  @Test
  void roundTripKeepsEverythingButTheRawPayer() throws Exception {
    try (PrivacyService p = open()) {
      p.record(new PaymentEvent(CID_A, PAYER, 1_500_000, T0));
      p.record(new PaymentEvent(CID_B, PAYER, 20, T0.plusSeconds(5)));
      p.record(new PaymentEvent(CID_A, "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY", 7, T0.plusSeconds(9)));
      List<StoredEvent> ev = p.events(epoch());
      assertThat(ev).extracting(StoredEvent::cid).containsExactly(CID_A, CID_B, CID_A);
      assertThat(ev).extracting(StoredEvent::drops).containsExactly(1_500_000L, 20L, 7L);
      assertThat(ev.get(1).time()).isEqualTo(T0.plusSeconds(5));
      assertThat(ev.get(0).payerPseudonym()).matches("[0-9a-f]{64}")
          .isNotEqualTo(PAYER)
          .isEqualTo(ev.get(1).payerPseudonym())
          .isNotEqualTo(ev.get(2).payerPseudonym());
      assertThat(ev.get(0).payerPseudonym()).doesNotContain(HexFormat.of().formatHex(PAYER.getBytes(StandardCharsets.UTF_8)));
    }
    // Neither the payer, the CID nor the pseudonym appears in the database files.
    byte[] all = concat(dir.resolve("privacy.db"), dir.resolve("privacy.db-wal"));
    String text = new String(all, StandardCharsets.ISO_8859_1);
    assertThat(text).doesNotContain(PAYER).doesNotContain(CID_A).doesNotContain("rPEPPER");
    assertThat(Files.getPosixFilePermissions(dir.resolve(RecordKeys.AEAD_FILE)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(dir.resolve(RecordKeys.PRF_FILE)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void pseudonymsAreStableAcrossReopenAndKeyedByTheNodeSecret() {
    String first;
    try (PrivacyService p = open()) {
      p.record(new PaymentEvent(CID_A, PAYER, 1, T0));
      first = p.events(epoch()).get(0).payerPseudonym();
    }
    try (PrivacyService p = open()) {
      p.record(new PaymentEvent(CID_B, PAYER, 1, T0));
      assertThat(p.events(epoch()).get(1).payerPseudonym()).isEqualTo(first);
    }
    // Another node (another secret) derives another pseudonym for the same account.
    RecordKeys other = RecordKeys.load(dir.resolve("other-node"), true);
    assertThat(other.pseudonym(PAYER)).isNotEqualTo(first).isNotEqualTo(PAYER);
  }

  @Test
  void rotationKeepsOldRecordsReadable() throws Exception {
    try (PrivacyService p = open()) {
      p.record(new PaymentEvent(CID_A, PAYER, 11, T0));
      p.rotateRecordKey();
      p.record(new PaymentEvent(CID_B, PAYER, 22, T0));
    }
    String keyset = Files.readString(dir.resolve(RecordKeys.AEAD_FILE));
    assertThat(keyset.split("\"keyId\"").length - 1).isEqualTo(2);
    byte[][] cts = ciphertexts();
    // Tink's 5-byte prefix carries the key id: the two rows were encrypted under different keys.
    assertThat(HexFormat.of().formatHex(cts[0], 0, 5)).isNotEqualTo(HexFormat.of().formatHex(cts[1], 0, 5));
    try (PrivacyService p = open()) {
      assertThat(p.events(epoch())).extracting(StoredEvent::drops).containsExactly(11L, 22L);
    }
  }

  @Test
  void tamperedCiphertextIsDetected() throws Exception {
    try (PrivacyService p = open()) {
      p.record(new PaymentEvent(CID_A, PAYER, 5, T0));
      p.record(new PaymentEvent(CID_B, PAYER, 6, T0));
    }
    byte[] ct = ciphertexts()[1];
    ct[ct.length - 3] ^= 0x01;
    update(2, ct);
    try (PrivacyService p = open()) {
      assertThatThrownBy(() -> p.events(epoch()))
          .isInstanceOf(RecordIntegrityException.class)
          .hasMessageContaining("payment event 2")
          .hasMessageContaining("does not decrypt");
    }
  }

  @Test
  void swappedRowsAreRejected() throws Exception {
    try (PrivacyService p = open()) {
      p.record(new PaymentEvent(CID_A, PAYER, 5, T0));
      p.record(new PaymentEvent(CID_B, "rOther", 6, T0));
    }
    byte[][] cts = ciphertexts();
    update(1, cts[1]);
    update(2, cts[0]);
    try (PrivacyService p = open()) {
      assertThatThrownBy(() -> p.events(epoch())).isInstanceOf(RecordIntegrityException.class)
          .hasMessageContaining("moved from another row");
    }
  }

  @Test
  void missingKeysetWithStoredEventsFailsNamingTheFile() throws Exception {
    try (PrivacyService p = open()) {
      p.record(new PaymentEvent(CID_A, PAYER, 5, T0));
    }
    Files.delete(dir.resolve(RecordKeys.AEAD_FILE));
    assertThatThrownBy(this::open).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("records-aead.json is missing")
        .hasMessageContaining("encrypted payment events");
    Files.writeString(dir.resolve(RecordKeys.AEAD_FILE), "{\"not\":\"a keyset\"}");
    assertThatThrownBy(this::open).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("records-aead.json is not a valid Tink AEAD keyset");
  }

  @Test
  void wrongKeyIsDetectedAsTampering() throws Exception {
    try (PrivacyService p = open()) {
      p.record(new PaymentEvent(CID_A, PAYER, 5, T0));
    }
    Path other = dir.resolve("elsewhere");
    RecordKeys.load(other, true);
    Files.copy(other.resolve(RecordKeys.AEAD_FILE), dir.resolve(RecordKeys.AEAD_FILE),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (PrivacyService p = open()) {
      assertThatThrownBy(() -> p.events(epoch())).isInstanceOf(RecordIntegrityException.class);
    }
  }

  @Test
  void badEventsAreRefusedBeforeStorage() {
    assertThatThrownBy(() -> new PaymentEvent("bafy\"x", PAYER, 1, T0)).hasMessageContaining("cid");
    assertThatThrownBy(() -> new PaymentEvent(CID_A, "", 1, T0)).hasMessageContaining("payer");
    assertThatThrownBy(() -> new PaymentEvent(CID_A, PAYER, 0, T0)).hasMessageContaining("drops");
    assertThat(new PaymentEvent(CID_A, PAYER, 1, T0).toString()).doesNotContain(PAYER);
  }

  private Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("privacy.db"));
  }

  private byte[][] ciphertexts() throws Exception {
    try (Connection c = db(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT ciphertext FROM payment_events ORDER BY id")) {
      java.util.List<byte[]> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getBytes(1));
      }
      return out.toArray(new byte[0][]);
    }
  }

  private void update(long id, byte[] ct) throws Exception {
    try (Connection c = db();
        PreparedStatement ps = c.prepareStatement("UPDATE payment_events SET ciphertext = ? WHERE id = ?")) {
      ps.setBytes(1, ct);
      ps.setLong(2, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private static byte[] concat(Path... files) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Path f : files) {
      if (Files.exists(f)) {
        out.write(Files.readAllBytes(f));
      }
    }
    return out.toByteArray();
  }
}
