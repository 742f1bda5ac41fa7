package io.fedsearch.web.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.query.EntryFetch;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.indexer.importer.ImportReport;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.web.node.LocalNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /api/entries/{cid}} serves an entry (or tombstone) with its signature — this node's, or, when it holds
 * no such CID, one fetched from the federation and verified ({@code "served_by"} names the peer); {@code POST /api/entries}
 * imports a JSON Lines body; {@code DELETE /api/entries?platform=&id=} writes a tombstone. Writes need the admin
 * token and are committed before the response is sent. An import applies nothing unless its whole body arrived
 * well framed and within the size limit; re-sending an import is harmless (unchanged entries stay unchanged).
 */
public final class EntriesApi implements HttpService {
  /** Entries this node does not hold, from the peers that serve them (verified), or empty. */
  @FunctionalInterface
  public interface RemoteEntries {
    Optional<EntryFetch.Found> find(Cid cid);

    RemoteEntries NONE = cid -> Optional.empty();
  }

  private final LocalNode node;
  private final AdminAuth admin;
  private final RemoteEntries remote;

  public EntriesApi(LocalNode node, AdminAuth admin, RemoteEntries remote) {
    this.node = node;
    this.admin = admin;
    this.remote = remote;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/{cid}", this::get).post("/", this::post).delete("/", this::delete);
  }

  private void get(ServerRequest req, ServerResponse res) {
    Json.send(res, 200, entry(req.path().pathParameters().get("cid")));
  }

  /** The entry (or tombstone) with CID {@code text}: this node's, else fetched from the peer serving it, verified. */
  ObjectNode entry(String text) {
    Cid cid;
    try {
      cid = Cid.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("cid: " + e.getMessage());
    }
    Optional<EntryIndex.Stored> stored = node.index().get(cid);
    if (stored.isPresent()) {
      EntryIndex.Stored s = stored.get();
      return s.entry() != null ? Json.signedEntry(s.entry()) : Json.tombstone(s.tombstone());
    }
    EntryFetch.Found found = remote.find(cid).orElseThrow(() -> ApiException.notFound(
        "no node of the federation serves an entry with CID " + cid + " (this node asked every index peer it knows)"));
    return Json.signedEntry(found.entry()).put("served_by", found.peer().toString());
  }

  private void post(ServerRequest req, ServerResponse res) {
    admin.require(req);
    ImportReport r;
    Path spool = null;
    try {
      // The whole body lands on disk before the first line is applied: a body that turns out too large or
      // malformed (RequestBody answers and closes) or a client that goes away mid-upload leaves the index as it
      // was, instead of half imported while the answer says refused. Disk, not heap: bodies reach the size limit.
      spool = Files.createTempFile("fedsearch-import-", ".jsonl");
      try (InputStream in = RequestBody.open(req, res); OutputStream out = Files.newOutputStream(spool)) {
        in.transferTo(out);
      }
      try (BufferedReader body = new BufferedReader(new InputStreamReader(Files.newInputStream(spool),
          StandardCharsets.UTF_8))) {
        r = node.importLines(body, "POST /api/entries", (lines, bytes) -> {});
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(spool);
    }
    ObjectNode out = Json.object()
        .put("lines", r.lines()).put("accepted", r.accepted()).put("added", r.added())
        .put("replaced", r.replaced()).put("unchanged", r.unchanged()).put("deleted", r.deleted())
        .put("rejected", r.rejected());
    ArrayNode errors = out.putArray("errors");
    for (ImportReport.LineError e : r.errors()) {
      ObjectNode o = errors.addObject().put("line", e.line());
      if (e.field() != null) {
        o.put("field", e.field());
      }
      o.put("message", e.message());
    }
    if (r.rejected() > 0) {
      out.put("note", "the other lines were accepted and are durable; fix and resend the rejected lines");
    }
    Json.send(res, r.rejected() == 0 ? 200 : 422, out);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A temporary file; the OS's temp cleaning gets it. Nothing to tell the client.
      }
    }
  }

  private void delete(ServerRequest req, ServerResponse res) {
    admin.require(req);
    String platform = Params.text(req.query(), "platform").orElse(node.directory().platform());
    String id = Params.text(req.query(), "id").orElseThrow(() -> ApiException.badRequest("id: required"));
    EntryIndex.WriteResult r;
    try {
      r = node.index().delete(platform, id, Instant.now());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    node.index().commit();
    if (r.outcome() == EntryIndex.Outcome.NOT_FOUND) {
      throw ApiException.notFound("no live entry " + platform + "/" + id + " on this node");
    }
    Json.send(res, 200, Json.object().put("deleted", platform + "/" + id).put("tombstone", r.cid().toString()));
  }
}
