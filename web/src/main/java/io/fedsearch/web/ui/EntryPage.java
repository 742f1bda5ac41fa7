package io.fedsearch.web.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /entry/{cid}}: an entry as signed — CID, signature, signer (public key and peer) — and every platform
 * that lists the same work (found by a federated search for its title), each with a Buy button the browser wallet
 * pays from (through this node as hub; the page says buying needs JavaScript and links to My wallet).
 */
final class EntryPage {
  private final Ui ui;

  EntryPage(Ui ui) {
    this.ui = ui;
  }

  void handle(ServerRequest req, ServerResponse res) {
    String cid = cidParam(req);
    String hint = req.query().first("q").orElse("").strip();
    PageApi.Reply local = ui.api().entry(cid);
    if (local.status() == 400) {
      throw new UiException(400, local.error());
    }
    JsonNode localEntry = local.ok() && "entry".equals(local.json().path("kind").asText()) ? local.json() : null;
    if (local.ok() && localEntry == null) {
      throw new UiException(410, "this listing was deleted by its platform (signed tombstone "
          + local.json().path("cid").asText() + ")");
    }
    String title = localEntry != null ? localEntry.at("/entry/title").asText() : hint;
    if (title.isEmpty()) {
      throw new UiException(404, local.status() == 404 ? local.error() : "the entry with CID " + cid
          + " could not be fetched now: " + local.error());
    }
    JsonNode work = findWork(req, cid, title, localEntry);
    if (work == null && localEntry == null) {
      throw new UiException(404, "no node of the federation lists an entry with CID " + cid + " under “" + title + "”");
    }
    JsonNode shown = work != null ? work : localEntry;
    List<JsonNode> hosts = new ArrayList<>();
    if (work != null) {
      work.path("hosts").forEach(hosts::add);
    }
    JsonNode self = hosts.stream().filter(h -> cid.equals(h.path("cid").asText())).findFirst().orElse(null);
    JsonNode e = shown.path("entry");
    String signer = self != null ? self.path("public_key").asText() : shown.path("public_key").asText();
    // The API answers with this node's entry, or one fetched from the peer that serves it ("served_by").
    String peer = self != null ? self.path("node").asText() : localEntry != null
        ? localEntry.path("served_by").asText(ui.node().host().peerId().toString()) : "";
    String signature = localEntry != null ? localEntry.path("signature").asText()
        : cid.equals(shown.path("cid").asText()) ? shown.path("signature").asText() : "";
    Html body = Html.f("""
        <article class="entry"><h1>{}</h1><p class="lead">{}</p>
        <dl class="fields">
        <dt>Listing CID</dt><dd><code class="long">{}</code></dd>
        <dt>Content CID</dt><dd>{}</dd>
        <dt>Signature</dt><dd>{}</dd>
        <dt>Signed by</dt><dd>public key <code class="long">{}</code><br>node (peer id) <code class="long">{}</code></dd>
        <dt>Creator</dt><dd>{}</dd>
        <dt>Tags</dt><dd>{}</dd>
        <dt>Link</dt><dd>{}</dd>
        <dt>Checked</dt><dd>{}</dd>
        </dl>
        <h2>Where to get it <small>{} {}</small></h2>
        {}</article>""",
        e.path("title").asText(), e.path("description").asText(), cid,
        e.path("content").isTextual() ? Html.f("<code class=\"long\">{}</code>", e.path("content").asText())
            : Html.f("<span class=\"muted\">none (this work is matched by its listing only)</span>"),
        signature.isEmpty() ? Html.f("<span class=\"muted\">held by the listing node; this node checked it when the"
            + " search answer arrived</span>") : Html.f("<code class=\"long\">{}</code>", signature),
        signer, peer.isEmpty() ? "unknown" : peer,
        e.path("creator").asText("").isEmpty() ? Html.f("<span class=\"muted\">not named</span>")
            : Html.f("<a href=\"/creator/{}\">{}</a>", Html.url(e.path("creator").asText()), e.path("creator").asText()),
        String.join(", ", list(e.path("tags"))),
        webUrl(e.path("url").asText("")).isEmpty() ? Html.f("<span class=\"muted\">none</span>")
            : Html.f("<a href=\"{}\" rel=\"noopener noreferrer nofollow\">{}</a>", e.path("url").asText(),
                e.path("url").asText()),
        work == null || work.path("verified").asBoolean()
            ? Html.f("<span class=\"verified\">✓ CID recomputed from the fields and signature verified</span>")
            : Html.f("<span class=\"unverified\">not verified</span>"),
        hosts.size(), hosts.size() == 1 ? "platform" : "platforms",
        hosts.isEmpty() ? Html.f("<p class=\"empty\">Only this node's listing is known (no federated answer).</p>")
            : Html.f("<ul class=\"listings\">{}</ul><p class=\"buy-note\">Buying pays from your own wallet in this"
                + " browser, through this node as your hub, and needs JavaScript: <a href=\"/wallet\">My wallet</a>"
                + " creates one and says how it works.</p>", Html.each(hosts, h -> listing(h, cid))));
    Layout.send(res, 200, ui.layout().page(e.path("title").asText(), "", body, Layout.Scripts.WALLET));
  }

  /**
   * A listing with its Buy button. The browser wallet ({@code wallet.js}) pays from the listing's data attributes
   * (CID, platform node, price, attribution token) through this node's hub; without script the button opens My
   * wallet, which explains it — the server holds no wallet to buy with.
   */
  private static Html listing(JsonNode h, String cid) {
    return Html.f("""
        <li class="listing{}"><div><span class="platform">{}</span> <span class="price">{}</span>
        <small>listing <code class="long">{}</code> · node <code class="long">{}</code></small></div>
        <form class="buy-listing" method="get" action="/wallet" data-listing="{}" data-node="{}" data-price="{}"
        data-token="{}" data-url="{}"><button type="submit" class="buy">Buy on {}</button></form></li>""",
        cid.equals(h.path("cid").asText()) ? " this" : "", h.path("platform").asText(),
        Layout.xrp(h.path("price").asLong()), h.path("cid").asText(), h.path("node").asText(),
        h.path("cid").asText(), h.path("node").asText(), h.path("price").asLong(),
        h.path("attribution_token").asText(""), webUrl(h.path("url").asText("")), h.path("platform").asText());
  }

  /** A link target only if it is a web address: anything else (javascript:, data:, relative) is no link at all. */
  static String webUrl(String url) {
    return url.startsWith("https://") || url.startsWith("http://") ? url : "";
  }

  /** The federated result holding this listing: same listing CID, or (for a local entry) the same content CID. */
  private JsonNode findWork(ServerRequest req, String cid, String title, JsonNode localEntry) {
    String phrase = "\"" + title.replace("\"", " ").replace("\\", " ") + "\"";
    PageApi.Reply r = ui.api().search("limit=20&q=" + Html.url(phrase));
    if (!r.ok()) {
      return null;
    }
    String content = localEntry == null ? "" : localEntry.at("/entry/content").asText("");
    for (JsonNode w : r.json().path("hits")) {
      if (cid.equals(w.path("cid").asText())) {
        return w;
      }
      for (JsonNode h : w.path("hosts")) {
        if (cid.equals(h.path("cid").asText())) {
          return w;
        }
      }
      if (!content.isEmpty() && content.equals(w.at("/entry/content").asText())) {
        return w;
      }
    }
    return null;
  }

  private static String cidParam(ServerRequest req) {
    String cid = req.path().pathParameters().get("cid");
    if (cid.length() > 200 || !cid.matches("[A-Za-z0-9]+")) {
      throw new UiException(400, "not a CID: " + (cid.length() > 60 ? cid.substring(0, 60) + "…" : cid));
    }
    return cid;
  }

  private static List<String> list(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
