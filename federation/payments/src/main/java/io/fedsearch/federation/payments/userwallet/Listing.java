package io.fedsearch.federation.payments.userwallet;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * What a purchase names: the CID, the platform node selling it (its peer id), the listed price, and the
 * attribution token of the node whose search surfaced it (so that node earns its discovery fee).
 */
public record Listing(String cid, String platform, long price, String token) {

  public Listing {
    if (cid == null || cid.isBlank() || cid.length() > 200) {
      throw new IllegalArgumentException("CID missing or too long");
    }
    if (platform == null || platform.isBlank() || platform.length() > 128) {
      throw new IllegalArgumentException("platform peer id missing or too long");
    }
    if (price <= 0) {
      throw new IllegalArgumentException("price must be positive drops");
    }
    if (token == null || token.isBlank() || token.length() > 4096) {
      throw new IllegalArgumentException("attribution token missing or too long");
    }
  }

  /**
   * Finds {@code cid} through the search API of the node {@code via}: reads the entry's title
   * ({@code GET /api/entries/{cid}}), searches for it ({@code GET /api/search}) and takes the listing whose CID is
   * {@code cid}, with the attribution token that node signed. {@code platform}, when given, picks among platforms
   * listing the same CID.
   */
  public static Listing find(HubClient http, String via, String cid, String platform) throws IOException {
    HubClient.Reply entry = http.get(via, "/api/entries/" + HubClient.query(cid));
    if (!entry.ok()) {
      throw new IllegalArgumentException("node " + via + " does not know " + cid + ": " + entry.errorCode() + " "
          + entry.errorMessage());
    }
    String title = entry.body().path("entry").path("title").asText(entry.body().path("title").asText(""));
    if (title.isBlank()) {
      throw new IllegalArgumentException("entry " + cid + " has no title to search for; pass --token");
    }
    HubClient.Reply found = http.get(via, "/api/search?limit=50&q=" + HubClient.query(title));
    if (!found.ok()) {
      throw new IllegalArgumentException("search on " + via + " failed: " + found.errorCode() + " "
          + found.errorMessage());
    }
    for (JsonNode hit : found.body().path("hits")) {
      for (JsonNode host : hit.path("hosts")) {
        if (cid.equals(host.path("cid").asText()) && (platform == null || platform.equals(host.path("node").asText()))) {
          return new Listing(cid, host.path("node").asText(), host.path("price").asLong(),
              host.path("attribution_token").asText());
        }
      }
    }
    throw new IllegalArgumentException("node " + via + " lists no " + cid + " in a search for \"" + title
        + "\"; pass --token, --platform and --price");
  }
}
