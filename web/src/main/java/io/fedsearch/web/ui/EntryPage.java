package io.fedsearch.web.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.web.http.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /entry/{cid}}: an entry as signed — CID, signature, signer (public key and peer) — and every platform
 * that lists the same work (found by a federated search for its title), each with a "buy" form. {@code POST
 * /entry/{cid}/buy} runs the purchase through the node's {@code POST /api/purchases} (claim + attribution token)
 * and shows the receipt.
 */
final class EntryPage {
  static final int MAX_FIELD = 4096;
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
    String csrf = Forms.csrfToken(req, res);
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
        e.path("url").asText("").startsWith("https://") || e.path("url").asText("").startsWith("http://")
            ? Html.f("<a href=\"{}\" rel=\"noopener noreferrer nofollow\">{}</a>", e.path("url").asText(), e.path("url").asText())
            : Html.f("<span class=\"muted\">none</span>"),
        work == null || work.path("verified").asBoolean()
            ? Html.f("<span class=\"verified\">✓ CID recomputed from the fields and signature verified</span>")
            : Html.f("<span class=\"unverified\">not verified</span>"),
        hosts.size(), hosts.size() == 1 ? "platform" : "platforms",
        hosts.isEmpty() ? Html.f("<p class=\"empty\">Only this node's listing is known (no federated answer).</p>")
            : Html.f("<ul class=\"listings\">{}</ul>", Html.each(hosts, h -> listing(h, cid, title, csrf))));
    Layout.send(res, 200, ui.layout().page(e.path("title").asText(), "", body));
  }

  private static Html listing(JsonNode h, String cid, String title, String csrf) {
    return Html.f("""
        <li class="listing{}"><div><span class="platform">{}</span> <span class="price">{}</span>
        <small>listing <code class="long">{}</code> · node <code class="long">{}</code></small></div>
        <form method="post" action="/entry/{}/buy">{}<input type="hidden" name="listing" value="{}">
        <input type="hidden" name="node" value="{}"><input type="hidden" name="price" value="{}">
        <input type="hidden" name="token" value="{}"><input type="hidden" name="q" value="{}">
        <button type="submit" class="buy">Buy on {}</button></form></li>""",
        cid.equals(h.path("cid").asText()) ? " this" : "", h.path("platform").asText(),
        Layout.xrp(h.path("price").asLong()), h.path("cid").asText(), h.path("node").asText(),
        Html.url(cid), Forms.csrfField(csrf), h.path("cid").asText(), h.path("node").asText(),
        h.path("price").asLong(), h.path("attribution_token").asText(""), title, h.path("platform").asText());
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

  void buy(ServerRequest req, ServerResponse res) {
    String cid = cidParam(req);
    Map<String, String> form = Forms.post(req, res);
    String listing = field(form, "listing");
    String token = field(form, "token");
    if (listing.isEmpty()) {
      throw new UiException(400, "listing: missing; use the buy button of a listing");
    }
    String node = field(form, "node");
    long price;
    try {
      price = Long.parseLong(field(form, "price"));
    } catch (NumberFormatException e) {
      throw new UiException(400, "price: not a number of drops; use the buy button of a listing");
    }
    String back = "/entry/" + Html.url(cid) + "?q=" + Html.url(field(form, "q"));
    JsonNode bought = listingEntry(req, listing);
    if (!"yes".equals(form.get("confirm"))) {
      confirm(req, res, form, bought, price, back);
      return;
    }
    boolean admin = ui.admin().isAdmin(req);
    PageApi.Reply r = ui.api().purchase(Json.object().put("cid", listing).put("node", node).put("price", price)
        .put("token", token));
    Html content;
    int status;
    if (r.ok()) {
      status = 200;
      content = Html.f("""
          <section class="receipt"><h1>Purchase made</h1><p class="notice good" role="status">You bought
          <b>{}</b> from <b>{}</b> for {}, paid from {} wallet. This node surfaced it, so the selling platform owes
          this node its discovery fee.</p>{}{}
          <p><a href="{}">Back to the entry</a> · <a href="/dashboard">See payouts and the outbox</a></p></section>""",
          bought.at("/entry/title").asText(listing), bought.at("/entry/platform").asText("the platform"),
          Layout.xrp(price), admin ? "this node's" : "the demo", howToGet(bought), receipt(r.json()), back);
    } else if (r.noRoute() || "no_wallet".equals(r.code()) || r.status() == 405 || r.status() == 501) {
      status = 503;
      content = Html.f("<section class=\"error\"><h1>Payments not available</h1><p>This node has no payments"
          + " configured or no demo wallet, so it cannot buy here: {}</p><p><a href=\"{}\">Back to the entry</a></p></section>", r.error(), back);
    } else if (r.status() == 401 || r.status() == 403) {
      status = 401;
      content = Html.f("<section class=\"error\"><h1>Login needed</h1><p>Buying spends this node's wallet: {}</p>"
          + "<p><a href=\"/dashboard\">Log in as the node's admin</a>, then <a href=\"{}\">buy again</a>.</p></section>",
          r.error(), back);
    } else {
      status = r.status() >= 500 ? 502 : r.status();
      content = Html.f("<section class=\"error\"><h1>Purchase refused</h1><p>{}</p><p><a href=\"{}\">Back to the"
          + " entry</a></p></section>", r.error(), back);
    }
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    Layout.send(res, status, ui.layout().page("Purchase", "", content));
  }

  /**
   * The step before paying: what is bought, from which platform, for how much, and whether it was bought before;
   * paying needs this page's own "Confirm and pay" (the listing's button only asks).
   */
  private void confirm(ServerRequest req, ServerResponse res, Map<String, String> form, JsonNode bought, long price,
      String back) {
    String listing = field(form, "listing");
    java.util.Optional<java.time.Instant> before = ui.node().demoWallet()
        .flatMap(w -> w.boughtAt(io.fedsearch.core.cid.Cid.parse(listing)));
    Html again = before.isEmpty() ? Html.EMPTY : Html.f("<p class=\"notice\" id=\"bought-before\" role=\"alert\">You "
        + "already bought this listing on {}. Buying it again pays again.</p>", before.get().toString());
    String csrf = Forms.csrfToken(req, res);
    Html body = Html.f("""
        <section class="confirm"><h1>Confirm your purchase</h1>{}
        <dl class="fields"><dt>Work</dt><dd>{}</dd><dt>Sold by</dt><dd>{}</dd><dt>Price</dt><dd>{}</dd>
        <dt>Paid from</dt><dd>the demo wallet, over a payment channel to the platform (a signed claim, settled on
        the ledger in batches)</dd><dt>Discovery fee</dt><dd>paid by the platform to this node out of the price; it
        adds nothing to what you pay</dd></dl>
        <form method="post" action="{}">{}<input type="hidden" name="listing" value="{}">
        <input type="hidden" name="node" value="{}"><input type="hidden" name="price" value="{}">
        <input type="hidden" name="token" value="{}"><input type="hidden" name="q" value="{}">
        <input type="hidden" name="confirm" value="yes">
        <button type="submit" class="buy" id="confirm-buy">{}</button> <a href="{}">Cancel</a></form></section>""",
        again, bought.at("/entry/title").asText(listing), bought.at("/entry/platform").asText("unknown platform"),
        Layout.xrp(price), "/entry/" + Html.url(req.path().pathParameters().get("cid")) + "/buy",
        Forms.csrfField(csrf), listing, field(form, "node"), price, field(form, "token"), field(form, "q"),
        (before.isEmpty() ? "Confirm and pay " : "Buy again for ") + Layout.xrp(price), back);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    Layout.send(res, 200, ui.layout().page("Confirm purchase", "", body));
  }

  /** The listing being bought, as the federation serves it (verified), or an empty object if none does now. */
  private JsonNode listingEntry(ServerRequest req, String listing) {
    PageApi.Reply r = ui.api().entry(listing);
    return r.ok() ? r.json() : Json.object();
  }

  /** How the buyer gets what they paid for: the platform's link and the content's CID, as the entry says. */
  private static Html howToGet(JsonNode bought) {
    String url = bought.at("/entry/url").asText("");
    String content = bought.at("/entry/content").asText("");
    Html link = url.startsWith("https://") || url.startsWith("http://")
        ? Html.f("<dt>Get it at</dt><dd><a href=\"{}\" rel=\"noopener noreferrer nofollow\">{}</a></dd>", url, url)
        : Html.f("<dt>Get it at</dt><dd>the platform gives no link for this listing; ask it with your receipt</dd>");
    return Html.f("<dl class=\"fields\" id=\"get-it\">{}{}</dl>", link, content.isEmpty() ? Html.EMPTY
        : Html.f("<dt>Content CID</dt><dd><code class=\"long\">{}</code></dd>", content));
  }

  private static Html receipt(JsonNode r) {
    if (!r.has("sale_id")) {
      return JsonView.object(r);
    }
    return Html.f("""
        <dl class="fields"><dt>Sale</dt><dd>#{} at {}</dd><dt>Price</dt><dd>{}</dd>
        <dt>Claim</dt><dd>{} cumulative on channel <code class="long">{}</code></dd>
        <dt>Selling platform</dt><dd><code class="long">{}</code></dd>
        <dt>Discovery by</dt><dd><code class="long">{}</code></dd></dl>
        <details><summary>Signed receipt</summary><code class="long">{}</code></details>""",
        r.path("sale_id").asLong(), r.path("at").asText(), Layout.amount(r.path("price").asLong()),
        Layout.amount(r.path("claim_amount").asLong()), r.path("channel").asText(), r.path("platform").asText(),
        r.path("serving_node").asText(), r.path("receipt").asText());
  }

  private static String cidParam(ServerRequest req) {
    String cid = req.path().pathParameters().get("cid");
    if (cid.length() > 200 || !cid.matches("[A-Za-z0-9]+")) {
      throw new UiException(400, "not a CID: " + (cid.length() > 60 ? cid.substring(0, 60) + "…" : cid));
    }
    return cid;
  }

  private static String field(Map<String, String> form, String name) {
    String v = form.getOrDefault(name, "").strip();
    if (v.length() > MAX_FIELD) {
      throw new UiException(400, name + ": longer than " + MAX_FIELD + " characters");
    }
    return v;
  }

  private static List<String> list(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
