package io.fedsearch.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.subtle.Ed25519Sign;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyTest {
  private static final HexFormat HEX = HexFormat.of();

  /** The vector from libp2p-wire-facts.md (checked against js-libp2p and node:crypto). */
  @Test
  void matchesPublishedTestVector() {
    NodeKey key = NodeKey.fromSeed(HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    assertThat(key.publicKey().hex()).isEqualTo("03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
    byte[] sig = key.sign("hello".getBytes(StandardCharsets.US_ASCII));
    assertThat(HEX.formatHex(sig)).isEqualTo("e1a7fca94a835127885b99e2eba733d6ee5bf5dc463ed8385eb6f1dcaa1117c0"
        + "f151750a10f46f5b3796a91203578f702c85c67c334b5689a516284d499f710f");
    assertThat(key.publicKey().verifies("hello".getBytes(StandardCharsets.US_ASCII), sig)).isTrue();
  }

  @Test
  void signaturesEqualTinksForTheSameKey() throws Exception {
    byte[] seed = new byte[32];
    for (int i = 0; i < 32; i++) {
      seed[i] = (byte) (i * 7 + 3);
    }
    byte[] msg = "entry cid bytes".getBytes(StandardCharsets.UTF_8);
    assertThat(NodeKey.fromSeed(seed).sign(msg)).isEqualTo(new Ed25519Sign(seed).sign(msg));
  }

  /**
   * Whatever implementation signs here (AWS-LC on Linux x86-64, else BouncyCastle), the signatures are the RFC 8032
   * ones: equal to Tink's and BouncyCastle's for many messages and keys, from several threads at once.
   */
  @Test
  void theFastSignerGivesTheReferenceSignaturesFromEveryThread() throws Exception {
    java.util.Random random = new java.util.Random(42);
    for (int k = 0; k < 3; k++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      NodeKey key = NodeKey.fromSeed(seed);
      Ed25519Sign tink = new Ed25519Sign(seed);
      byte[][] msgs = new byte[200][];
      for (int i = 0; i < msgs.length; i++) {
        msgs[i] = new byte[random.nextInt(80)];
        random.nextBytes(msgs[i]);
      }
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        java.util.List<java.util.concurrent.Future<byte[]>> sigs = new java.util.ArrayList<>();
        for (byte[] m : msgs) {
          sigs.add(pool.submit(() -> key.sign(m)));
        }
        for (int i = 0; i < msgs.length; i++) {
          assertThat(sigs.get(i).get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(tink.sign(msgs[i]));
        }
      } finally {
        pool.shutdownNow();
      }
    }
    boolean linuxX64 = System.getProperty("os.name").equals("Linux")
        && System.getProperty("os.arch").matches("amd64|x86_64");
    assertThat(NodeKey.generate().signingImplementation()).isEqualTo(linuxX64 ? "aws-lc" : "bouncycastle");
  }

  @Test
  void verifyRejectsTamperedDataSignatureAndOtherKeys() {
    NodeKey key = NodeKey.generate();
    byte[] msg = {1, 2, 3};
    byte[] sig = key.sign(msg);
    assertThat(key.publicKey().verifies(new byte[] {1, 2, 4}, sig)).isFalse();
    sig[5] ^= 1;
    assertThat(key.publicKey().verifies(msg, sig)).isFalse();
    assertThat(NodeKey.generate().publicKey().verifies(msg, key.sign(msg))).isFalse();
    assertThat(key.publicKey().verifies(msg, new byte[10])).isFalse();
  }

  @Test
  void persistsInOwnerOnlyKeysetAndReloadsSameIdentity(@TempDir Path dir) throws Exception {
    NodeKey created = NodeKey.loadOrCreate(dir);
    Path file = dir.resolve(NodeKey.KEYSET_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(NodeKey.load(dir).publicKey()).isEqualTo(created.publicKey());
    assertThat(NodeKey.loadOrCreate(dir).publicKey()).isEqualTo(created.publicKey());
  }

  @Test
  void missingOrCorruptKeysetFailsClearly(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> NodeKey.load(dir)).hasMessageContaining("no identity keyset").hasMessageContaining("node init");
    Files.createDirectories(dir.resolve("keys"));
    Files.writeString(dir.resolve(NodeKey.KEYSET_FILE), "{\"not\": \"a keyset\"}");
    assertThatThrownBy(() -> NodeKey.load(dir)).hasMessageContaining("not a valid Ed25519 Tink keyset");
  }

  @Test
  void publicKeyRejectsWrongLengths() {
    assertThatThrownBy(() -> NodePublicKey.of(new byte[31])).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> NodePublicKey.fromHex("zz")).hasMessageContaining("invalid public key hex");
    // 32 bytes that decode to no curve point are refused up front, not at the first verification.
    assertThatThrownBy(() -> NodePublicKey.fromHex("e684262480efe8bf86e734bf79fca53092ae985c8d6c7c6520d65c8cce861a16"))
        .hasMessageContaining("not a valid Ed25519 public key");
  }

  /**
   * AWS-LC refuses one-shot Ed25519 messages over 1 MiB ("Invalid capacity"). Every size signs, with the RFC 8032
   * signature, and a large message leaves the signer usable for the next small one on the same thread.
   */
  @Test
  void messagesOfAnySizeSignWithTheReferenceSignature() throws Exception {
    byte[] seed = new byte[32];
    seed[0] = 9;
    NodeKey key = NodeKey.fromSeed(seed);
    Ed25519Sign tink = new Ed25519Sign(seed);
    java.util.Random random = new java.util.Random(7);
    for (int size : new int[] {0, Ed25519Signing.NATIVE_MAX_MESSAGE, Ed25519Signing.NATIVE_MAX_MESSAGE + 1,
        1 << 20, (1 << 20) + 1, 3 << 20}) {
      byte[] msg = new byte[size];
      random.nextBytes(msg);
      byte[] sig = key.sign(msg);
      assertThat(sig).as("size %d", size).isEqualTo(tink.sign(msg));
      assertThat(key.publicKey().verifies(msg, sig)).isTrue();
      byte[] small = {1, 2, 3};
      assertThat(key.sign(small)).isEqualTo(tink.sign(small));
    }
  }

  /**
   * The native provider is used through its instance, never registered JVM-wide: loading and using a key leaves
   * the JCA provider list and the default SecureRandom (what nonces, tokens and the DP samplers draw from) as the
   * JDK configured them.
   */
  @Test
  void signingInstallsNoProviderJvmWide() {
    java.util.List<String> before =
        java.util.Arrays.stream(java.security.Security.getProviders()).map(java.security.Provider::getName).toList();
    NodeKey key = NodeKey.generate();
    key.sign(new byte[2 << 20]);
    key.sign(new byte[] {1});
    java.util.List<String> after =
        java.util.Arrays.stream(java.security.Security.getProviders()).map(java.security.Provider::getName).toList();
    assertThat(after).isEqualTo(before).doesNotContain("AmazonCorrettoCryptoProvider");
    assertThat(new java.security.SecureRandom().getProvider().getName()).isEqualTo("SUN");
  }
}
