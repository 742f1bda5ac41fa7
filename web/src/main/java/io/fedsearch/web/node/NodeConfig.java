package io.fedsearch.web.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.hub.HubConfig;
import io.fedsearch.privacy.release.InvalidPrivacyConfigException;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.reputation.model.ReputationConfig;
import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A node's configuration, bound once at start: {@code node.json} in the node directory, overridden key by key by
 * environment variables {@code FEDSEARCH__<SECTION>__<KEY>} (e.g. {@code FEDSEARCH__PAYMENTS__RIPPLED_URL}; double
 * underscores separate levels because keys contain single ones), read with Helidon Config. Every key is checked
 * against the documented set ({@link #KEYS}, web/README.md "Configuration") and converted to its type before any
 * service opens; a wrong one fails the start with an error naming the key ({@link InvalidNodeConfigException}).
 *
 * <p>Each section becomes its module's settings — {@link PaymentsConfig}, {@link ReleaseConfig},
 * {@link ReputationConfig} — whose own checks (ranges, relations between values) then run with their keys named.
 * Node directories written before this class used {@code "privacy": {"privacy.epsilon": "4"}}; those keys are read
 * as their short forms.
 */
public record NodeConfig(String platform, PaymentsConfig payments, ReleaseConfig privacy, ReputationConfig reputation,
    HubConfig hub) {
  /** Prefix of the environment variables that override node.json. */
  public static final String ENV_PREFIX = "FEDSEARCH__";

  /** The kind of value a key holds: how it is converted and checked. */
  enum Kind { TEXT, INTEGER, DECIMAL, BOOLEAN, KEYS }

  /** Every key a node.json may hold, by section. */
  static final Map<String, Map<String, Kind>> KEYS = Map.of(
      "payments", keys("rippled_url", Kind.TEXT, "key_type", Kind.TEXT, "discovery_share_bps", Kind.INTEGER,
          "settle_threshold_drops", Kind.INTEGER, "settle_period_s", Kind.INTEGER, "settle_before_expiry_s",
          Kind.INTEGER, "expiry_margin_s", Kind.INTEGER, "payout_min_drops", Kind.INTEGER, "payout_max_delay_s",
          Kind.INTEGER, "token_max_uses", Kind.INTEGER, "min_settle_delay_s", Kind.INTEGER, "top_up_ceiling_drops",
          Kind.INTEGER, "provisional_channel_cap_drops", Kind.INTEGER, "provisional_payer_cap_drops", Kind.INTEGER,
          "token_max_validity_s", Kind.INTEGER, "hold_expiry_s", Kind.INTEGER, "max_idle_provisional_channels",
          Kind.INTEGER, "netting_period_s", Kind.INTEGER),
      "privacy", keys("mechanism", Kind.TEXT, "epsilon", Kind.DECIMAL, "delta", Kind.DECIMAL, "max_cids_per_payer",
          Kind.INTEGER, "max_drops_per_cid", Kind.INTEGER, "epoch_seconds", Kind.INTEGER, "lifetime_epsilon",
          Kind.DECIMAL, "lifetime_delta", Kind.DECIMAL, "creator_share", Kind.DECIMAL, "max_creators_per_payer",
          Kind.INTEGER, "max_drops_per_creator", Kind.INTEGER, "tree_levels", Kind.INTEGER),
      "reputation", keys("half_life_epochs", Kind.DECIMAL, "peak_epochs", Kind.INTEGER, "credited_drops_per_payer",
          Kind.INTEGER, "amount_noise_limit", Kind.DECIMAL, "max_cids_per_payer", Kind.INTEGER, "half_score_evidence",
          Kind.DECIMAL, "platform_evidence_cap", Kind.DECIMAL, "other_platform_weight", Kind.DECIMAL, "trust_damping",
          Kind.DECIMAL, "trust_iterations", Kind.INTEGER, "trust_tolerance", Kind.DECIMAL, "interval_z",
          Kind.DECIMAL, "pretrusted", Kind.KEYS),
      "hub", keys("enabled", Kind.BOOLEAN, "fee_bps", Kind.INTEGER, "fee_drops", Kind.INTEGER, "in_flight_limit",
          Kind.INTEGER, "platform_channel_drops", Kind.INTEGER, "platform_settle_delay_s", Kind.INTEGER,
          "liquidity_wait_ms", Kind.INTEGER));
  /** Top-level keys that are values, not sections. */
  private static final Set<String> TOP = Set.of("platform", "created");

  /** Reads the configuration of the node directory {@code dir} with this process's environment. */
  public static NodeConfig load(Path dir) {
    return load(dir, System.getenv());
  }

  /** Reads the configuration of {@code dir}, overridden by the {@code FEDSEARCH__…} entries of {@code env}. */
  public static NodeConfig load(Path dir, Map<String, String> env) {
    Path file = dir.resolve(NodeDirectory.CONFIG);
    if (!Files.isRegularFile(file)) {
      throw new InvalidNodeConfigException(file.toString(), "missing (run `fedsearch node init` first)");
    }
    Config config;
    try {
      config = Config.builder()
          .disableEnvironmentVariablesSource()
          .disableSystemPropertiesSource()
          .addSource(ConfigSources.create(overrides(env)))
          .addSource(ConfigSources.file(file))
          .build();
    } catch (ConfigException e) {
      throw new InvalidNodeConfigException(file.toString(), "not readable: " + e.getMessage());
    }
    return bind(config);
  }

  /** The {@code FEDSEARCH__SECTION__KEY} entries of {@code env} as config keys {@code section.key}. */
  static Map<String, String> overrides(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX)) {
        out.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace("__", "."), value);
      }
    });
    return out;
  }

  static NodeConfig bind(Config root) {
    for (Config c : root.asNodeList().orElse(List.of())) {
      if (!TOP.contains(c.name()) && !KEYS.containsKey(c.name())) {
        throw new InvalidNodeConfigException(c.name(), "unknown setting; known: " + new TreeSet<>(union()));
      }
    }
    String platform = root.get("platform").asString()
        .orElseThrow(() -> new InvalidNodeConfigException("platform", "missing"));
    Map<String, Object> privacy = section(root, "privacy");
    Map<String, Object> payments = section(root, "payments");
    Map<String, Object> reputation = section(root, "reputation");
    ReleaseConfig release = named("privacy", () -> ReleaseConfig.fromProperties(privacyProperties(privacy)));
    PaymentsConfig pay = named("payments", () -> PaymentsConfig.fromJson(json(payments)));
    if (!reputation.containsKey("max_cids_per_payer")) {
      // a payer's CIDs are bounded by the release: reputation discounts repeat buys by the same L
      reputation.put("max_cids_per_payer", (long) release.maxCidsPerPayer());
    }
    ReputationConfig rep = named("reputation", () -> reputationConfig(reputation));
    Map<String, Object> hub = section(root, "hub");
    HubConfig hubConfig = named("hub", () -> HubConfig.fromJson(hub.isEmpty() ? null : json(hub)));
    return new NodeConfig(platform, pay, release, rep, hubConfig);
  }

  /** A section's keys with typed values; unknown keys and values of the wrong type are refused by name. */
  private static Map<String, Object> section(Config root, String name) {
    Config s = root.get(name);
    Map<String, Object> out = new LinkedHashMap<>();
    if (!s.exists()) {
      return out;
    }
    Map<String, Kind> known = KEYS.get(name);
    for (Config c : s.asNodeList().orElseThrow(() -> new InvalidNodeConfigException(name, "must be an object"))) {
      String key = c.name();
      if (name.equals("privacy") && key.startsWith("privacy.")) {
        key = key.substring("privacy.".length()).replace('-', '_'); // the form node.json had before
      }
      Kind kind = known.get(key);
      String full = name + "." + key;
      if (kind == null) {
        throw new InvalidNodeConfigException(full, "unknown setting; known: " + new TreeSet<>(known.keySet()));
      }
      out.put(key, value(c, kind, full));
    }
    return out;
  }

  private static Object value(Config c, Kind kind, String key) {
    try {
      return switch (kind) {
        case TEXT -> c.asString().get();
        case INTEGER -> c.asLong().get();
        case DECIMAL -> new java.math.BigDecimal(c.asString().get().strip());
        case BOOLEAN -> bool(c.asString().get());
        case KEYS -> c.asList(String.class).get();
      };
    } catch (ConfigException | NumberFormatException e) {
      throw new InvalidNodeConfigException(key, switch (kind) {
        case TEXT -> "must be text";
        case INTEGER -> "must be a whole number";
        case DECIMAL -> "must be a number";
        case BOOLEAN -> "must be true or false";
        case KEYS -> "must be a list of platform keys (64 hex digits each)";
      } + " (" + e.getMessage() + ")");
    }
  }

  private static boolean bool(String v) {
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new NumberFormatException("'" + v + "' is not true or false");
    };
  }

  private static Map<String, String> privacyProperties(Map<String, Object> privacy) {
    Map<String, String> out = new TreeMap<>();
    privacy.forEach((k, v) -> out.put("privacy." + k.replace('_', '-'),
        v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString()));
    return out;
  }

  private static ObjectNode json(Map<String, Object> values) {
    return new ObjectMapper().valueToTree(values);
  }

  private static ReputationConfig reputationConfig(Map<String, Object> values) {
    ObjectNode o;
    try {
      o = (ObjectNode) new ObjectMapper().readTree(ReputationConfig.defaults().toJson());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the default reputation settings do not read back", e);
    }
    values.forEach((k, v) -> {
      if (v instanceof List<?> list) {
        ArrayNode a = o.putArray(k);
        list.forEach(x -> a.add(x.toString()));
      } else {
        o.set(k, new ObjectMapper().valueToTree(v));
      }
    });
    return ReputationConfig.fromJson(o.toString());
  }

  /** Runs a module's own checks, naming the section in what they refuse. */
  private static <T> T named(String section, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidNodeConfigException e) {
      throw e;
    } catch (InvalidPrivacyConfigException e) {
      String key = e.setting().substring(e.setting().indexOf('.') + 1).replace('-', '_');
      throw new InvalidNodeConfigException(section + "." + key, e.getMessage().substring(e.setting().length()).strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidNodeConfigException(section, e.getMessage());
    }
  }

  private static Set<String> union() {
    Set<String> all = new TreeSet<>(TOP);
    all.addAll(KEYS.keySet());
    return all;
  }

  private static Map<String, Kind> keys(Object... pairs) {
    Map<String, Kind> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], (Kind) pairs[i + 1]);
    }
    return Map.copyOf(out);
  }
}
