package io.fedsearch.indexer.entry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.core.cid.Cid;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one JSON object (a JSON Lines record) into an {@link Entry}. Unknown fields — {@code popularity} among
 * them — are ignored: they are not the platform's to sign. Errors name the field.
 */
public final class EntryParser {
  private static final ObjectMapper JSON = new ObjectMapper(
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
          .build());

  private final String defaultPlatform;

  /** @param defaultPlatform platform used when a record has none (the node's own), or null to require it */
  public EntryParser(String defaultPlatform) {
    this.defaultPlatform = defaultPlatform;
  }

  /**
   * True when {@code s} takes more than {@code limit} bytes in UTF-8. A char takes at most 3 bytes, so strings of at
   * most {@code limit / 3} chars — nearly every line — are not counted at all.
   */
  public static boolean longerThan(String s, int limit) {
    return (long) s.length() * 3 > limit && utf8Length(s) > limit;
  }

  /** Length of {@code s} in UTF-8, counted without encoding it (an unpaired surrogate counts as 3 bytes). */
  public static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  public Entry parse(String line) {
    if (longerThan(line, EntryLimits.JSON_LINE)) {
      throw new InvalidEntryException(null,
          "line is " + utf8Length(line) + " bytes; the limit is " + EntryLimits.JSON_LINE);
    }
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidEntryException(null, "malformed JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidEntryException(null, "expected a JSON object");
    }
    return parse(node);
  }

  public Entry parse(JsonNode node) {
    String platform = optionalText(node, "platform");
    if (platform == null) {
      platform = defaultPlatform;
    }
    return new Entry(
        platform,
        idText(node),
        optionalText(node, "title"),
        optionalText(node, "description"),
        optionalText(node, "creator"),
        tags(node),
        optionalText(node, "url"),
        price(node),
        published(node),
        content(node));
  }

  private static String idText(JsonNode node) {
    JsonNode v = node.get("id");
    if (v != null && v.isIntegralNumber()) {
      return v.asText(); // numeric ids are common in platform feeds; they are kept as their decimal text
    }
    return optionalText(node, "id");
  }

  private static String optionalText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidEntryException(field, "must be a string, got " + kind(v));
    }
    return v.textValue();
  }

  private static List<String> tags(JsonNode node) {
    JsonNode v = node.get("tags");
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new InvalidEntryException("tags", "must be an array of strings, got " + kind(v));
    }
    if (v.size() > EntryLimits.TAGS) {
      throw new InvalidEntryException("tags", "at most " + EntryLimits.TAGS + " tags, got " + v.size());
    }
    List<String> tags = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode t = v.get(i);
      if (!t.isTextual()) {
        throw new InvalidEntryException("tags[" + i + "]", "must be a string, got " + kind(t));
      }
      tags.add(t.textValue());
    }
    return tags;
  }

  private static long price(JsonNode node) {
    JsonNode v = node.get("price");
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.isIntegralNumber()) {
      throw new InvalidEntryException("price", "must be an integer number of drops, got " + kind(v));
    }
    if (!v.canConvertToLong()) {
      throw new InvalidEntryException("price", "out of range: " + v.asText());
    }
    return v.longValue();
  }

  private static Instant published(JsonNode node) {
    String text = optionalText(node, "published");
    return text == null ? null : parseTime(text);
  }

  /** RFC 3339 date-time (any offset, normalised to UTC) or a plain date (midnight UTC). */
  static Instant parseTime(String text) {
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidEntryException("published", "not an RFC 3339 time: '" + text + "'");
    }
  }

  private static Cid content(JsonNode node) {
    String text = optionalText(node, "content");
    if (text == null) {
      return null;
    }
    try {
      return Cid.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidEntryException("content", e.getMessage());
    }
  }

  private static String kind(JsonNode v) {
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
