package io.fedsearch.federation.payments.payout;

import io.fedsearch.core.cbor.CborMap;
import io.fedsearch.core.sign.SigningDomain;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Messages of the payout protocol ({@value #PROTOCOL}). Every message is the DAG-CBOR map {@code {m: body, s: sig}}
 * where {@code body} holds {@code v} (1), {@code type}, {@code from} and {@code to} (32-byte node keys) and
 * {@code at} (epoch ms), plus the type's fields, and {@code sig} is Ed25519 by {@code from} over DAG-CBOR(body)
 * for {@link SigningDomain#PAYOUT}. Messages are at most {@link #MAX_MESSAGE_BYTES}; a receiver refuses bodies not addressed to it or
 * dated more than {@link #MAX_SKEW} away. The types are listed in federation/README.md ("payments").
 */
public final class PayoutWire {
  public static final String PROTOCOL = "/fedsearch/payout/1.0.0";
  public static final int MAX_MESSAGE_BYTES = 16 * 1024;
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  /** A decoded message whose signature verified; its fields are read through {@link #fields()}. */
  public record Envelope(Map<String, Object> body, byte[] signature, NodePublicKey from) {
    public String type() {
      return (String) body.get("type");
    }

    /** The body as a typed reader: errors name the message type and the field. */
    public CborMap fields() {
      return CborMap.of(body, type());
    }

    public long num(String field) {
      try {
        return fields().integer(field);
      } catch (IllegalArgumentException e) {
        throw named(field, e);
      }
    }

    public String text(String field) {
      try {
        return fields().text(field, MAX_MESSAGE_BYTES);
      } catch (IllegalArgumentException e) {
        throw named(field, e);
      }
    }

    /** A byte-string field of exactly {@code length} bytes. */
    public byte[] bytes(String field, int length) {
      try {
        return fields().bytesExactly(field, length);
      } catch (IllegalArgumentException e) {
        throw named(field, e);
      }
    }

    /** What a sender reads in a refusal: the field, then what the reader found ("<type>.<field>: …"). */
    private static IllegalArgumentException named(String field, IllegalArgumentException e) {
      return new IllegalArgumentException("field " + field + ": " + e.getMessage(), e);
    }

    public String optText(String field) {
      return body.get(field) instanceof String s ? s : null;
    }
  }

  private PayoutWire() {}

  /** A body with the common fields filled in. */
  public static Map<String, Object> body(String type, NodePublicKey from, NodePublicKey to, Instant at) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", 1L);
    m.put("type", type);
    m.put("from", from.bytes());
    m.put("to", to.bytes());
    m.put("at", at.toEpochMilli());
    return m;
  }

  public static byte[] seal(NodeKey sender, Map<String, Object> body) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("m", body);
    m.put("s", sender.sign(signingBytes(body)));
    byte[] out = DagCbor.encode(m);
    if (out.length > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("payout message of " + out.length + " bytes exceeds " + MAX_MESSAGE_BYTES);
    }
    return out;
  }

  /**
   * Decodes and verifies a message addressed to {@code me}.
   *
   * @throws IllegalArgumentException naming what is wrong (size, encoding, version, signature, address, time)
   */
  public static Envelope open(byte[] wire, NodePublicKey me, Instant now) {
    Envelope env = openAnyTime(wire, me);
    if (Math.abs(env.num("at") - now.toEpochMilli()) > MAX_SKEW.toMillis()) {
      throw new IllegalArgumentException("payout message time is more than " + MAX_SKEW + " from ours");
    }
    return env;
  }

  /**
   * As {@link #open} without the freshness check: for a message this node signed itself and kept (a netting
   * statement coming back in a confirm), whose nonce, not its age, says whether it was used.
   */
  @SuppressWarnings("unchecked")
  public static Envelope openAnyTime(byte[] wire, NodePublicKey me) {
    if (wire == null || wire.length == 0 || wire.length > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("payout message empty or larger than " + MAX_MESSAGE_BYTES + " bytes");
    }
    CborMap outer = CborMap.decode(wire, MAX_MESSAGE_BYTES, "payout message").onlyFields(Set.of("m", "s"));
    CborMap head = outer.map("m");
    byte[] sig = outer.bytes("s", 2 * NodePublicKey.SIGNATURE_LENGTH);
    if (head.integer("v") != 1) {
      throw head.refuse("v", "unsupported version");
    }
    head.text("type", 64);
    byte[] from = head.bytesExactly("from", NodePublicKey.LENGTH);
    byte[] to = head.bytesExactly("to", NodePublicKey.LENGTH);
    head.integer("at");
    NodePublicKey sender = NodePublicKey.of(from);
    Map<String, Object> b = (Map<String, Object>) head.asMap();
    if (!sender.verifies(signingBytes(b), sig)) {
      throw new IllegalArgumentException("payout message signature does not verify for its sender");
    }
    if (!Arrays.equals(to, me.bytes())) {
      throw new IllegalArgumentException("payout message is addressed to another node");
    }
    return new Envelope(b, sig, sender);
  }

  /**
   * The sender of {@code wire} when its signature verifies for the {@code from} it names, whatever else is wrong
   * with it (stale, addressed elsewhere): a refusal can then be addressed to the node that will read it.
   */
  public static java.util.Optional<NodePublicKey> sender(byte[] wire) {
    try {
      if (wire == null || wire.length > MAX_MESSAGE_BYTES || !(DagCbor.decode(wire) instanceof Map<?, ?> outer)
          || !(outer.get("m") instanceof Map<?, ?> body) || !(outer.get("s") instanceof byte[] sig)
          || !(body.get("from") instanceof byte[] from)) {
        return java.util.Optional.empty();
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> b = (Map<String, Object>) body;
      NodePublicKey key = NodePublicKey.of(from);
      return key.verifies(signingBytes(b), sig) ? java.util.Optional.of(key) : java.util.Optional.empty();
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  static byte[] signingBytes(Map<String, Object> body) {
    return SigningDomain.PAYOUT.message(DagCbor.encode(body));
  }
}
