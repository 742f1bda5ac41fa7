package io.fedsearch.web.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * Everything a node owns lives in one directory: {@code node.json} (platform, creation time), {@code keys/}
 * (Tink keysets), {@code admin-token} (mode 600), {@code index/} (Lucene), the modules' SQLite databases and
 * {@code imports.jsonl} (import history). Losing the directory loses the node; nothing else holds state.
 */
public final class NodeDirectory {
  public static final String CONFIG = "node.json";
  public static final String ADMIN_TOKEN = "admin-token";
  /** Where a platform key shared by several nodes of one platform lives ({@code platform/keys/identity.json}). */
  public static final String PLATFORM_KEY_DIR = "platform";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final String platform;
  private final Instant created;

  private NodeDirectory(Path root, String platform, Instant created) {
    this.root = root;
    this.platform = platform;
    this.created = created;
  }

  /** Creates a node directory for {@code platform}: identity key, admin token, config. Refuses to overwrite one. */
  public static NodeDirectory init(Path root, String platform) {
    Path config = root.resolve(CONFIG);
    if (Files.exists(config)) {
      throw new IllegalStateException(root + " is already a node directory (platform "
          + open(root).platform() + "); choose another --dir");
    }
    // Validates the platform name with the same rules as an entry's platform field.
    new Entry(platform, "-", "-", "", "", null, "", 0, null, null);
    try {
      Files.createDirectories(root);
      NodeKey.loadOrCreate(root);
      byte[] token = new byte[32];
      new SecureRandom().nextBytes(token);
      PrivateFiles.writeAtomically(root.resolve(ADMIN_TOKEN),
          Base64.getUrlEncoder().withoutPadding().encodeToString(token) + "\n");
      Instant now = Instant.now();
      ObjectNode c = JSON.createObjectNode().put("platform", platform).put("created", now.toString());
      Path tmp = root.resolve(CONFIG + ".tmp");
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c) + "\n");
      Files.move(tmp, config, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return new NodeDirectory(root, platform, now);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot initialise node directory " + root, e);
    }
  }

  /** Opens an initialised node directory. */
  public static NodeDirectory open(Path root) {
    Path config = root.resolve(CONFIG);
    if (!Files.isRegularFile(config)) {
      throw new IllegalStateException(
          root + " is not a node directory (no " + CONFIG + "); run `fedsearch node init --dir " + root + "`");
    }
    try {
      JsonNode c = JSON.readTree(config.toFile());
      String platform = c.path("platform").asText("");
      if (platform.isEmpty()) {
        throw new IllegalStateException(config + " names no platform");
      }
      return new NodeDirectory(root, platform, Instant.parse(c.path("created").asText(Instant.EPOCH.toString())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + config, e);
    }
  }

  public Path root() {
    return root;
  }

  public String platform() {
    return platform;
  }

  public Instant created() {
    return created;
  }

  public Path indexDir() {
    return root.resolve("index");
  }

  public Path importHistory() {
    return root.resolve("imports.jsonl");
  }

  /** Merges {@code settings} into the {@code privacy} object of node.json (used by the demo's short epochs). */
  public void putPrivacySettings(java.util.Map<String, String> settings) {
    putSettings("privacy", settings);
  }

  /** Merges {@code settings} into the object {@code section} of node.json (e.g. "privacy", "payments"). */
  public void putSettings(String section, java.util.Map<String, ?> settings) {
    Path config = root.resolve(CONFIG);
    try {
      ObjectNode c = (ObjectNode) JSON.readTree(config.toFile());
      ObjectNode p = c.has(section) ? (ObjectNode) c.get(section) : c.putObject(section);
      settings.forEach((k, v) -> p.set(k, JSON.valueToTree(v)));
      Path tmp = root.resolve(CONFIG + ".tmp");
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c) + "\n");
      Files.move(tmp, config, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update " + config, e);
    }
  }

  public NodeKey key() {
    return NodeKey.load(root);
  }

  /**
   * The platform's key, when this node shares one with the other nodes of its platform ({@code platform/keys/},
   * see {@link #sharePlatformKey}); empty for a node that is its platform's only node, whose own key speaks for it.
   * The platform key signs the node's platform record: nodes are routed as replicas of one set only when one
   * platform key signed their records.
   */
  public java.util.Optional<NodeKey> platformKey() {
    Path dir = root.resolve(PLATFORM_KEY_DIR);
    return Files.exists(dir.resolve(NodeKey.KEYSET_FILE)) ? java.util.Optional.of(NodeKey.load(dir))
        : java.util.Optional.empty();
  }

  /**
   * Makes this node share the platform key of {@code other} (a node directory of the same platform), creating that
   * key there first if it has none. The key file is copied with mode 600, like every secret of a node.
   */
  public void sharePlatformKey(NodeDirectory other) {
    if (!other.platform().equals(platform)) {
      throw new IllegalArgumentException(other.root() + " serves platform " + other.platform() + ", not " + platform
          + ": only nodes of one platform share its key");
    }
    Path from = other.root().resolve(PLATFORM_KEY_DIR);
    NodeKey.loadOrCreate(from);
    try {
      PrivateFiles.writeAtomically(root.resolve(PLATFORM_KEY_DIR).resolve(NodeKey.KEYSET_FILE),
          Files.readString(from.resolve(NodeKey.KEYSET_FILE)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the platform key from " + from, e);
    }
  }

  public String adminToken() {
    try {
      return Files.readString(root.resolve(ADMIN_TOKEN)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the admin token in " + root, e);
    }
  }
}
