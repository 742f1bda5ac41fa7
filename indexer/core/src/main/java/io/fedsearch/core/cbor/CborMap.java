package io.fedsearch.core.cbor;

import io.fedsearch.core.cid.Cid;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A DAG-CBOR map that arrived from someone else, read field by field with its type and bounds checked. Every
 * message fedsearch decodes goes through here, so every refusal reads the same way and names the field a sender
 * got wrong — {@code "receipt.r.claim: expected an integer, got text"} — instead of a {@link ClassCastException}
 * or a bare "malformed".
 *
 * <p>Size is bounded before decoding ({@link #decode(byte[], int, String)}); {@link DagCbor} bounds the nesting;
 * lists and strings are bounded by the caller at each read. Reads never return a mutable view of the message.
 */
public final class CborMap {
  private final Map<?, ?> fields;
  private final String path;
  private final Function<String, ? extends RuntimeException> errors;

  private CborMap(Map<?, ?> fields, String path, Function<String, ? extends RuntimeException> errors) {
    this.fields = fields;
    this.path = path;
    this.errors = errors;
  }

  /**
   * Decodes a canonical DAG-CBOR block that must be a map, after checking it is at most {@code maxBytes}.
   *
   * @param what the message's name in errors, e.g. {@code "receipt"}
   * @throws CborFieldException naming what is wrong
   */
  public static CborMap decode(byte[] block, int maxBytes, String what) {
    return decode(block, maxBytes, what, CborFieldException::new);
  }

  /**
   * {@link #decode(byte[], int, String)} for a protocol with its own refusal type: every error read from this map
   * (and the maps and lists inside it) is {@code errors} applied to the message.
   */
  public static CborMap decode(byte[] block, int maxBytes, String what,
      Function<String, ? extends RuntimeException> errors) {
    if (block == null || block.length == 0) {
      throw errors.apply(what + ": empty");
    }
    if (block.length > maxBytes) {
      throw errors.apply(what + " of " + block.length + " bytes exceeds the " + maxBytes + " allowed");
    }
    Object value;
    try {
      value = DagCbor.decode(block);
    } catch (IllegalArgumentException e) {
      throw errors.apply(what + " is not canonical DAG-CBOR: " + e.getMessage());
    }
    return of(value, what, errors);
  }

  /** {@link #decode} of the unpadded base64url text {@code wire}, at most {@code maxChars} long. */
  public static CborMap decodeBase64Url(String wire, int maxChars, String what) {
    if (wire == null || wire.isEmpty()) {
      throw new CborFieldException(what + ": missing");
    }
    if (wire.length() > maxChars) {
      throw new CborFieldException(what + ": " + wire.length() + " characters, more than the " + maxChars + " allowed");
    }
    byte[] block;
    try {
      block = Base64.getUrlDecoder().decode(wire);
    } catch (IllegalArgumentException e) {
      throw new CborFieldException(what + ": not base64url");
    }
    return decode(block, block.length, what);
  }

  /** A value already decoded that must be a map; {@code path} names it in errors. */
  public static CborMap of(Object value, String path) {
    return of(value, path, CborFieldException::new);
  }

  /** {@link #of(Object, String)} with the protocol's refusal type (see {@link #decode(byte[], int, String, Function)}). */
  public static CborMap of(Object value, String path, Function<String, ? extends RuntimeException> errors) {
    if (!(value instanceof Map<?, ?> m)) {
      throw errors.apply(path + ": expected a map, got " + kind(value));
    }
    return new CborMap(m, path, errors);
  }

  /** How many fields the map has. */
  public int size() {
    return fields.size();
  }

  /** The field names, in the message's (canonical) order; a key that is not text is refused. */
  public List<String> keys() {
    List<String> out = new ArrayList<>(fields.size());
    for (Object k : fields.keySet()) {
      if (!(k instanceof String s)) {
        throw errors.apply(path + ": a field name is " + kind(k) + ", not text");
      }
      out.add(s);
    }
    return out;
  }

  public boolean has(String key) {
    return fields.containsKey(key);
  }

  /** Refuses a map with any field outside {@code allowed} (a newer or forged message this reader does not know). */
  public CborMap onlyFields(Set<String> allowed) {
    for (Object k : fields.keySet()) {
      if (!(k instanceof String s) || !allowed.contains(s)) {
        throw errors.apply(path + ": unknown field " + k + " (expected only " + new TreeSet<>(allowed) + ")");
      }
    }
    return this;
  }

  public long integer(String key) {
    return integer(key, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** An integer field within {@code [min, max]}. */
  public long integer(String key, long min, long max) {
    Object v = require(key);
    if (!(v instanceof Long l)) {
      throw wrong(key, "an integer", v);
    }
    if (l < min || l > max) {
      throw errors.apply(at(key) + ": " + l + " is outside " + min + ".." + max);
    }
    return l;
  }

  public boolean bool(String key) {
    Object v = require(key);
    if (!(v instanceof Boolean b)) {
      throw wrong(key, "a boolean", v);
    }
    return b;
  }

  /** A text field of at most {@code maxChars} characters. */
  public String text(String key, int maxChars) {
    Object v = require(key);
    if (!(v instanceof String s)) {
      throw wrong(key, "text", v);
    }
    if (s.length() > maxChars) {
      throw errors.apply(at(key) + ": " + s.length() + " characters, more than " + maxChars);
    }
    return s;
  }

  /** A byte-string field of at most {@code maxLength} bytes. */
  public byte[] bytes(String key, int maxLength) {
    Object v = require(key);
    if (!(v instanceof byte[] b)) {
      throw wrong(key, "bytes", v);
    }
    if (b.length > maxLength) {
      throw errors.apply(at(key) + ": " + b.length + " bytes, more than " + maxLength);
    }
    return b.clone();
  }

  /** A byte-string field of exactly {@code length} bytes (a key, a hash, a signature). */
  public byte[] bytesExactly(String key, int length) {
    byte[] b = bytes(key, length);
    if (b.length != length) {
      throw errors.apply(at(key) + ": " + b.length + " bytes, expected " + length);
    }
    return b;
  }

  /** A CID link field (tag 42). */
  public Cid cid(String key) {
    Object v = require(key);
    if (!(v instanceof Cid c)) {
      throw wrong(key, "a CID link", v);
    }
    return c;
  }

  /** A nested map field. */
  public CborMap map(String key) {
    Object v = require(key);
    if (!(v instanceof Map<?, ?> m)) {
      throw wrong(key, "a map", v);
    }
    return new CborMap(m, at(key), errors);
  }

  /** A list field of at most {@code maxItems} items, each checked by the caller (see {@link #item}). */
  public List<Object> list(String key, int maxItems) {
    Object v = require(key);
    if (!(v instanceof List<?> l)) {
      throw wrong(key, "a list", v);
    }
    if (l.size() > maxItems) {
      throw errors.apply(at(key) + ": " + l.size() + " items, more than " + maxItems);
    }
    return List.copyOf(l);
  }

  /** A list field whose items are all maps, at most {@code maxItems} of them. */
  public List<CborMap> maps(String key, int maxItems) {
    List<Object> items = list(key, maxItems);
    List<CborMap> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(of(items.get(i), at(key) + "[" + i + "]", errors));
    }
    return out;
  }

  /** An optional text field: null when absent or null. */
  public String optionalText(String key, int maxChars) {
    return fields.get(key) == null ? null : text(key, maxChars);
  }

  /** An optional integer field within {@code [min, max]}: null when absent or null. */
  public Long optionalInteger(String key, long min, long max) {
    return fields.get(key) == null ? null : integer(key, min, max);
  }

  /** An optional byte-string field: null when absent or null. */
  public byte[] optionalBytes(String key, int maxLength) {
    return fields.get(key) == null ? null : bytes(key, maxLength);
  }

  /** The map as decoded, read-only (for a caller that keeps or re-encodes the message whole, e.g. to verify it). */
  public Map<?, ?> asMap() {
    return java.util.Collections.unmodifiableMap(fields);
  }

  /** The field's value as decoded (for a reader that dispatches on it), or null. */
  public Object raw(String key) {
    return fields.get(key);
  }

  /** An error of this map's protocol about field {@code key}: {@code "<path>.<key>: <why>"}. */
  public RuntimeException refuse(String key, String why) {
    return errors.apply(at(key) + ": " + why);
  }

  /** An error of this map's protocol about the map itself: {@code "<path>: <why>"}. */
  public RuntimeException refuse(String why) {
    return errors.apply(path + ": " + why);
  }

  /** The name of item {@code i} of list field {@code key}, for errors about it. */
  public String item(String key, int i) {
    return at(key) + "[" + i + "]";
  }

  /** The path of this map in the message, e.g. {@code "receipt.r"}. */
  public String path() {
    return path;
  }

  /** The name of field {@code key} in errors. */
  public String at(String key) {
    return path + "." + key;
  }

  private Object require(String key) {
    Object v = fields.get(key);
    if (v == null) {
      throw errors.apply(at(key) + ": missing");
    }
    return v;
  }

  private RuntimeException wrong(String key, String expected, Object got) {
    return errors.apply(at(key) + ": expected " + expected + ", got " + kind(got));
  }

  /** The DAG-CBOR kind of a decoded value, as a sender would name it. */
  public static String kind(Object v) {
    if (v == null) {
      return "null";
    }
    return switch (v) {
      case Long l -> "an integer";
      case java.math.BigInteger b -> "an integer beyond 64 bits";
      case String s -> "text";
      case byte[] b -> "bytes";
      case Boolean b -> "a boolean";
      case List<?> l -> "a list";
      case Map<?, ?> m -> "a map";
      case Cid c -> "a CID link";
      case Double d -> "a float";
      default -> v.getClass().getSimpleName();
    };
  }
}
