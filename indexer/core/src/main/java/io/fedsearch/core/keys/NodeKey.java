package io.fedsearch.core.keys;

import io.fedsearch.core.sign.SigningDomain;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.Ed25519Parameters;
import com.google.crypto.tink.signature.Ed25519PrivateKey;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.signature.SignatureConfig;
import com.google.crypto.tink.subtle.Ed25519Sign;
import com.google.crypto.tink.util.Bytes;
import com.google.crypto.tink.util.SecretBytes;
import io.fedsearch.core.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The node's Ed25519 identity: signs entries, tombstones, attribution tokens and releases, and is the node's
 * libp2p identity. The private key lives in a Tink keyset ({@code keys/identity.json}, mode 600) and never leaves
 * this class as bytes: callers get {@link #sign(byte[])} and the {@link NodePublicKey}.
 *
 * <p>Signing runs on AWS-LC where its native library loads, else on BouncyCastle ({@link Ed25519Signing}), rather
 * than on Tink's Ed25519: Ed25519 is deterministic, so the signatures are byte-identical, and per signature AWS-LC
 * takes about 9 µs here, BouncyCastle 33 µs and Tink 120 µs — signing is most of the cost of importing a catalog.
 * Tink remains the key's home and format.
 */
public final class NodeKey {
  /** Path of the identity keyset inside a node directory. */
  public static final String KEYSET_FILE = "keys/identity.json";

  static {
    try {
      SignatureConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Ed25519Signing.Signer signer;
  private final NodePublicKey publicKey;

  private NodeKey(KeysetHandle handle) throws GeneralSecurityException {
    if (!(handle.getPrimary().getKey() instanceof Ed25519PrivateKey key)
        || key.getParameters().getVariant() != Ed25519Parameters.Variant.NO_PREFIX) {
      throw new GeneralSecurityException("identity keyset must hold an Ed25519 private key without output prefix");
    }
    byte[] seed = key.getPrivateKeyBytes().toByteArray(InsecureSecretKeyAccess.get());
    try {
      this.publicKey = NodePublicKey.of(key.getPublicKey().getPublicKeyBytes().toByteArray());
      byte[] derived = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
      if (!Arrays.equals(derived, publicKey.bytes())) {
        throw new GeneralSecurityException("identity keyset's public key does not match its private key");
      }
      this.signer = Ed25519Signing.forSeed(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** Generates a fresh identity (not persisted). */
  public static NodeKey generate() {
    try {
      return new NodeKey(KeysetHandle.generateNew(Ed25519Parameters.create(Ed25519Parameters.Variant.NO_PREFIX)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate Ed25519 key", e);
    }
  }

  /**
   * An identity from a 32-byte RFC 8032 seed. For test vectors and deterministic test fixtures only: a real node
   * generates its key with {@link #loadOrCreate(Path)}.
   */
  public static NodeKey fromSeed(byte[] seed) {
    try {
      Ed25519Sign.KeyPair pair = Ed25519Sign.KeyPair.newKeyPairFromSeed(seed);
      Ed25519PublicKey pub = Ed25519PublicKey.create(Bytes.copyFrom(pair.getPublicKey()));
      Ed25519PrivateKey priv =
          Ed25519PrivateKey.create(pub, SecretBytes.copyFrom(seed, InsecureSecretKeyAccess.get()));
      return new NodeKey(
          KeysetHandle.newBuilder().addEntry(KeysetHandle.importKey(priv).withRandomId().makePrimary()).build());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid Ed25519 seed", e);
    }
  }

  /** Loads the identity of the node directory {@code nodeDir}, creating and persisting one when absent. */
  public static NodeKey loadOrCreate(Path nodeDir) {
    Path file = nodeDir.resolve(KEYSET_FILE);
    if (Files.exists(file)) {
      return load(nodeDir);
    }
    try {
      KeysetHandle handle = KeysetHandle.generateNew(Ed25519Parameters.create(Ed25519Parameters.Variant.NO_PREFIX));
      PrivateFiles.writeAtomically(
          file, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()));
      return new NodeKey(handle);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create identity keyset " + file, e);
    }
  }

  /** Loads the identity of an existing node directory; fails clearly when the keyset is missing or corrupt. */
  public static NodeKey load(Path nodeDir) {
    Path file = nodeDir.resolve(KEYSET_FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no identity keyset at " + file + " (run `fedsearch node init` first)");
    }
    try {
      String json = Files.readString(file);
      return new NodeKey(TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read identity keyset " + file, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("identity keyset " + file + " is not a valid Ed25519 Tink keyset", e);
    }
  }

  /**
   * Signs {@code data} with Ed25519 as it is (64-byte signature, no prefix): for CIDs and protocol-defined payloads
   * (libp2p's Noise handshake). Every other statement is signed with {@link #sign(SigningDomain, byte[])}.
   */
  public byte[] sign(byte[] data) {
    return signer.sign(data);
  }

  /** Signs the statement {@code body} for {@code domain}: Ed25519 over {@link SigningDomain#message}. */
  public byte[] sign(SigningDomain domain, byte[] body) {
    return signer.sign(domain.message(body));
  }

  /** The Ed25519 implementation signing for this key: "aws-lc" or "bouncycastle" (same signatures either way). */
  public String signingImplementation() {
    return signer.implementation();
  }

  public NodePublicKey publicKey() {
    return publicKey;
  }

  @Override
  public String toString() {
    return "NodeKey[" + publicKey + "]";
  }
}
