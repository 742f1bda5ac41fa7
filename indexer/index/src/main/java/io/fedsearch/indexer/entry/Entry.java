package io.fedsearch.indexer.entry;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A catalog entry as a platform asserts it. Construction validates every field against {@link EntryLimits}; an
 * {@code Entry} that exists is valid. Its identity is {@link #cid()}: CIDv1 dag-cbor sha2-256 over
 * {@link #encode()}. {@code published} and {@code content} are optional and left out of the encoding when absent;
 * the other fields are always encoded (empty text and lists included), so the same facts give the same CID.
 * The encoding is computed once, at construction: it is the entry's identity and is needed on every path.
 */
public final class Entry {
  private final String platform;
  private final String id;
  private final String title;
  private final String description;
  private final String creator;
  private final List<String> tags;
  private final String url;
  private final long price;
  private final Instant published;
  private final Cid content;
  private final byte[] block;
  private final Cid cid;

  public Entry(
      String platform,
      String id,
      String title,
      String description,
      String creator,
      List<String> tags,
      String url,
      long price,
      Instant published,
      Cid content) {
    platform = text("platform", platform, EntryLimits.PLATFORM, true);
    id = text("id", id, EntryLimits.ID, true);
    title = text("title", title, EntryLimits.TITLE, true);
    description = text("description", description == null ? "" : description, EntryLimits.DESCRIPTION, false);
    creator = text("creator", creator == null ? "" : creator, EntryLimits.CREATOR, false);
    url = text("url", url == null ? "" : url, EntryLimits.URL, false);
    tags = tags == null ? List.of() : List.copyOf(tags);
    if (tags.size() > EntryLimits.TAGS) {
      throw new InvalidEntryException("tags", "at most " + EntryLimits.TAGS + " tags, got " + tags.size());
    }
    for (int i = 0; i < tags.size(); i++) {
      text("tags[" + i + "]", tags.get(i), EntryLimits.TAG, true);
    }
    if (price < 0) {
      throw new InvalidEntryException("price", "must be ≥ 0 drops, got " + price);
    }
    if (price > EntryLimits.PRICE) {
      throw new InvalidEntryException("price", "must be ≤ " + EntryLimits.PRICE + " drops, got " + price);
    }
    this.platform = platform;
    this.id = id;
    this.title = title;
    this.description = description;
    this.creator = creator;
    this.tags = tags;
    this.url = url;
    this.price = price;
    this.published = published;
    this.content = content;
    this.block = DagCbor.encode(toIpld());
    this.cid = Cid.ofDagCbor(block);
  }

  public String platform() {
    return platform;
  }

  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  public String description() {
    return description;
  }

  public String creator() {
    return creator;
  }

  public List<String> tags() {
    return tags;
  }

  public String url() {
    return url;
  }

  /** Price in XRP drops. */
  public long price() {
    return price;
  }

  /** Publication time, or null. */
  public Instant published() {
    return published;
  }

  /** CID of the work itself, or null. */
  public Cid content() {
    return content;
  }

  private static String text(String field, String value, int maxBytes, boolean required) {
    if (value == null) {
      throw new InvalidEntryException(field, "is required");
    }
    if (required && value.isBlank()) {
      throw new InvalidEntryException(field, "must not be empty");
    }
    int bytes = 0; // UTF-8 length, counted in the same pass that rejects unpaired surrogates
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new InvalidEntryException(field, "contains an unpaired UTF-16 surrogate at index " + i);
      } else {
        bytes += 3;
      }
    }
    if (bytes > maxBytes) {
      throw new InvalidEntryException(field, "is " + bytes + " bytes; the limit is " + maxBytes);
    }
    return value;
  }

  /** The (platform, id) key under which a node keeps one version of this entry. */
  public String key() {
    return key(platform, id);
  }

  public static String key(String platform, String id) {
    return platform + '\u0000' + id;
  }

  /** The IPLD data model of this entry (what is encoded and hashed). */
  public Map<String, Object> toIpld() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("platform", platform);
    m.put("id", id);
    m.put("title", title);
    m.put("description", description);
    m.put("creator", creator);
    m.put("tags", tags);
    m.put("url", url);
    m.put("price", price);
    if (published != null) {
      m.put("published", formatTime(published));
    }
    if (content != null) {
      m.put("content", content);
    }
    return m;
  }

  /** Canonical DAG-CBOR bytes: the block whose hash is the CID. */
  public byte[] encode() {
    return block.clone();
  }

  public Cid cid() {
    return cid;
  }

  /** Whether {@code bytes} are this entry's block, byte for byte (then they hash to {@link #cid()}). */
  public boolean isBlock(byte[] bytes) {
    return java.util.Arrays.equals(block, bytes);
  }

  /** Entries are equal when their encodings are: same facts, same CID. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Entry other && cid.equals(other.cid);
  }

  @Override
  public int hashCode() {
    return cid.hashCode();
  }

  @Override
  public String toString() {
    return "Entry[" + platform + "/" + id + " " + cid + "]";
  }

  /** RFC 3339 in UTC with only as many fractional digits as needed: one spelling per instant. */
  public static String formatTime(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t);
  }

  /**
   * Rebuilds an entry from a decoded block, rejecting blocks that are not exactly an entry's canonical encoding.
   */
  public static Entry fromBlock(byte[] block) {
    if (block.length > EntryLimits.MAX_BLOCK_BYTES) {
      throw new InvalidEntryException(null, "entry block of " + block.length + " bytes exceeds the limit");
    }
    Object decoded;
    try {
      decoded = DagCbor.decode(block);
    } catch (IllegalArgumentException e) {
      throw new InvalidEntryException(null, "not canonical DAG-CBOR: " + e.getMessage());
    }
    if (!(decoded instanceof Map<?, ?> m)) {
      throw new InvalidEntryException(null, "entry block is not a map");
    }
    for (Object k : m.keySet()) {
      if (!List.of("platform", "id", "title", "description", "creator", "tags", "url", "price", "published",
          "content").contains(k)) {
        throw new InvalidEntryException(String.valueOf(k), "unknown field in entry block");
      }
    }
    Entry e = new Entry(
        str(m, "platform"), str(m, "id"), str(m, "title"), str(m, "description"), str(m, "creator"),
        strings(m.get("tags")), str(m, "url"), price(m.get("price")),
        m.get("published") == null ? null : EntryParser.parseTime(str(m, "published")),
        m.get("content") == null ? null : cid(m.get("content")));
    if (!java.util.Arrays.equals(e.block, block)) {
      throw new InvalidEntryException(null, "entry block is not in canonical form");
    }
    return e;
  }

  private static String str(Map<?, ?> m, String field) {
    Object v = m.get(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new InvalidEntryException(field, "must be text");
    }
    return s;
  }

  private static List<String> strings(Object v) {
    if (!(v instanceof List<?> list)) {
      throw new InvalidEntryException("tags", "must be a list of text");
    }
    for (Object o : list) {
      if (!(o instanceof String)) {
        throw new InvalidEntryException("tags", "must be a list of text");
      }
    }
    @SuppressWarnings("unchecked")
    List<String> strings = (List<String>) list;
    return strings;
  }

  private static long price(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof BigInteger) {
      throw new InvalidEntryException("price", "out of range");
    }
    throw new InvalidEntryException("price", "must be an integer");
  }

  private static Cid cid(Object v) {
    if (!(v instanceof Cid c)) {
      throw new InvalidEntryException("content", "must be a CID link");
    }
    return c;
  }
}
