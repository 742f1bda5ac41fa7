package io.fedsearch.web.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.indexer.entry.Tombstone;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** JSON for the HTTP API: the shapes of entries and errors, and sending them. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static void send(ServerResponse res, int status, Object body) {
    try {
      res.status(status);
      res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
      res.header(HeaderNames.CACHE_CONTROL, "no-store");
      res.send(MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise response", e);
    }
  }

  public static ObjectNode error(int status, String code, String message) {
    ObjectNode e = object();
    e.putObject("error").put("status", status).put("code", code).put("message", message);
    return e;
  }

  /** The entry's fields as the platform asserted them (optional fields only when present). */
  public static ObjectNode entry(Entry e) {
    ObjectNode o = object()
        .put("platform", e.platform()).put("id", e.id()).put("title", e.title())
        .put("description", e.description()).put("creator", e.creator());
    ArrayNode tags = o.putArray("tags");
    e.tags().forEach(tags::add);
    o.put("url", e.url()).put("price", e.price());
    if (e.published() != null) {
      o.put("published", Entry.formatTime(e.published()));
    }
    if (e.content() != null) {
      o.put("content", e.content().toString());
    }
    return o;
  }

  /** An entry with what it takes to verify it: CID, signature and the signer's public key (hex). */
  public static ObjectNode signedEntry(SignedEntry s) {
    ObjectNode o = object().put("cid", s.cid().toString()).put("kind", "entry");
    o.set("entry", entry(s.entry()));
    o.put("signature", HEX.formatHex(s.signature())).put("public_key", s.signer().hex());
    return o;
  }

  public static ObjectNode tombstone(Tombstone.Signed t) {
    ObjectNode o = object().put("cid", t.cid().toString()).put("kind", "tombstone");
    o.putObject("tombstone").put("platform", t.tombstone().platform()).put("id", t.tombstone().id())
        .put("deleted", Entry.formatTime(t.tombstone().deleted()));
    o.put("signature", HEX.formatHex(t.signature())).put("public_key", t.signer().hex());
    return o;
  }
}
