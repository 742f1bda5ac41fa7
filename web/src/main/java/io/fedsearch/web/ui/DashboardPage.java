package io.fedsearch.web.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /dashboard} (admin only; otherwise the login form with 401): the node, its peers and their standing,
 * index size and import history, the privacy budget spent per epoch (SVG), and the payments panels — channels,
 * payouts, outbox — from the payments API when the node has it. {@code POST /dashboard/login} and {@code
 * /dashboard/logout} set and clear the admin cookie (CSRF-checked).
 */
final class DashboardPage {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The budget chart shows the most recent epochs with a release. */
  static final int CHART_EPOCHS = 40;
  private final Ui ui;
  private final PaymentsPanels payments;

  DashboardPage(Ui ui) {
    this.ui = ui;
    this.payments = new PaymentsPanels(ui);
  }

  void handle(ServerRequest req, ServerResponse res) {
    if (!ui.admin().isAdmin(req)) {
      login(req, res, 401, "");
      return;
    }
    String csrf = Forms.csrfToken(req, res);
    PageApi.Reply info = ui.api().node();
    PageApi.Reply peers = ui.api().peers();
    PageApi.Reply budget = ui.api().budget();
    Html body = Html.f("""
        <div class="dash-head"><h1>Dashboard <small>{} node</small></h1>
        <p><a href="/dashboard/economics">Economics</a></p>
        <form method="post" action="/dashboard/logout">{}<button type="submit" class="quiet">Log out</button></form></div>
        <div class="panels">
        <section class="panel wide" id="node"><h2>Node</h2>{}</section>
        <section class="panel wide" id="peers"><h2>Peers and standing</h2>{}</section>
        <section class="panel wide" id="index"><h2>Index</h2>{}</section>
        <section class="panel wide" id="privacy"><h2>Privacy budget</h2>{}</section>
        {}</div>""",
        ui.platform(), Forms.csrfField(csrf), node(info), peers(peers), index(), budget(budget), payments.render(req, csrf));
    Layout.send(res, 200, ui.layout().page("Dashboard", "/dashboard", body));
  }

  private void login(ServerRequest req, ServerResponse res, int status, String problem) {
    String csrf = Forms.csrfToken(req, res);
    Html body = Html.f("""
        <section class="login"><h1>Node dashboard</h1>
        <p>The dashboard shows this node's peers, money and privacy budget: it needs the node's admin token (the
        <code>admin-token</code> file in the node directory).</p>{}
        <form method="post" action="/dashboard/login">{}<label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
        <button type="submit">Log in</button></form></section>""",
        problem.isEmpty() ? Html.EMPTY : Html.f("<p class=\"notice bad\" role=\"alert\">{}</p>", problem),
        Forms.csrfField(csrf));
    Layout.send(res, status, ui.layout().page("Log in", "/dashboard", body));
  }

  void logIn(ServerRequest req, ServerResponse res) {
    Map<String, String> form = Forms.post(req, res);
    String token = form.getOrDefault("token", "").strip();
    if (!ui.admin().matches(token)) {
      login(req, res, 403, "That is not this node's admin token.");
      return;
    }
    ui.admin().logIn(res, token);
    res.status(303);
    res.header(HeaderNames.LOCATION, "/dashboard");
    res.send();
  }

  /** {@code POST /dashboard/outbox/submit}: one submission round of the outbox now, its outcome shown. */
  void submitOutbox(ServerRequest req, ServerResponse res) {
    Forms.post(req, res);
    if (!ui.admin().isAdmin(req)) {
      login(req, res, 401, "");
      return;
    }
    PageApi.Reply r = ui.api().submitOutbox();
    Html outcome = r.ok()
        ? Html.f("<p class=\"notice good\" role=\"status\">Submitted {}, validated {}, failed {}.</p>",
            r.json().path("submitted").asInt(), r.json().path("validated").asInt(), r.json().path("failed").asInt())
        : Html.f("<p class=\"notice bad\" role=\"alert\">{}</p>", r.error());
    Html body = Html.f("""
        <section class="login"><h1>Outbox</h1>{}<p><a href="/dashboard#outbox">Back to the dashboard</a></p></section>""",
        outcome);
    Layout.send(res, r.ok() ? 200 : r.status(), ui.layout().page("Outbox", "/dashboard", body));
  }

  void logOut(ServerRequest req, ServerResponse res) {
    Forms.post(req, res);
    ui.admin().logOut(res);
    res.status(303);
    res.header(HeaderNames.LOCATION, "/");
    res.send();
  }

  private static Html node(PageApi.Reply info) {
    if (!info.ok()) {
      return Html.f("<p class=\"notice bad\">{}</p>", info.error());
    }
    JsonNode n = info.json();
    return Html.f("""
        <dl class="fields"><dt>Platform</dt><dd>{}</dd><dt>Peer id</dt><dd><code class="long">{}</code></dd>
        <dt>Public key</dt><dd><code class="long">{}</code></dd><dt>Listening</dt><dd>{}</dd>
        <dt>Known index peers</dt><dd>{}</dd></dl>""",
        n.path("platform").asText(), n.path("peer_id").asText(), n.path("public_key").asText(),
        Html.each(list(n.path("listen_addrs")), a -> Html.f("<code class=\"long\">{}</code> ", a.asText())),
        n.path("index_peers").asInt());
  }

  private static Html peers(PageApi.Reply peers) {
    if (!peers.ok()) {
      return Html.f("<p class=\"notice bad\">{}</p>", peers.error());
    }
    List<JsonNode> all = list(peers.json().path("peers"));
    if (all.isEmpty()) {
      return Html.f("<p class=\"empty\">No peers known yet.</p>");
    }
    return Html.f("""
        <div class="scroll" tabindex="0" role="region" aria-label="table (scrolls sideways)"><table><thead><tr><th scope="col">Platform</th><th scope="col">Peer</th>
        <th scope="col">Standing</th><th scope="col">Answers</th><th scope="col">Failures</th><th scope="col">Timeouts</th>
        <th scope="col">Forged</th><th scope="col" title="requests it refused because it was busy">Busy</th>
        <th scope="col">Latency</th><th scope="col">State</th></tr></thead><tbody>{}</tbody>
        </table></div>""",
        Html.each(all, p -> Html.f("<tr><td>{}</td><td><code class=\"long\" title=\"{}\">{}</code></td>"
            + "<td><meter min=\"0\" max=\"1\" value=\"{}\"></meter> {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            + "<td>{}</td><td>{}</td><td>{}</td></tr>", p.path("platform").asText(), p.path("peer").asText(),
            p.path("peer").asText(), p.path("standing").asDouble(), p.path("standing").asDouble(),
            p.path("answers").asLong(), p.path("failures").asLong(), p.path("timeouts").asLong(),
            p.path("forged").asLong(), p.path("busy").asLong(),
            p.has("latency_ms") ? p.path("latency_ms").asDouble() + " ms" : "—", state(p))));
  }

  private static Html state(JsonNode p) {
    if (p.path("backed_off").asBoolean()) {
      return Html.f("<span class=\"state bad\" title=\"{}\">backed off</span>", p.path("last_error").asText(""));
    }
    return p.path("connected").asBoolean() ? Html.f("<span class=\"state good\">connected</span>")
        : Html.f("<span class=\"state\">idle</span>");
  }

  private Html index() {
    var index = ui.node().local().index();
    List<JsonNode> history = new ArrayList<>();
    for (String line : ui.node().local().importHistory(15)) {
      try {
        history.add(JSON.readTree(line));
      } catch (IOException e) {
        // a torn last line (crash while appending) is skipped; the others are whole
      }
    }
    long unpriced = ui.node().local().unpricedCount();
    return Html.f("<p class=\"big\">{} <small>entries</small> · {} <small>tombstones</small></p>{}<h3>Imports</h3>{}",
        index.entryCount(), index.tombstoneCount(), unpriced == 0 ? Html.EMPTY
            : Html.f("<p class=\"notice\" id=\"unpriced\">{} entries have no price, so every page shows them as free: "
                + "add a <code>price</code> (drops) to their lines and import them again to sell them.</p>", unpriced),
        history.isEmpty() ? Html.f("<p class=\"empty\">No imports yet.</p>")
            : JsonView.table(JSON.valueToTree(history)));
  }

  private static Html budget(PageApi.Reply reply) {
    if (!reply.ok()) {
      return Html.f("<p class=\"notice bad\">{}</p>", reply.error());
    }
    JsonNode b = reply.json().path("budget");
    Map<Long, BigDecimal> perEpoch = new TreeMap<>();
    for (JsonNode l : reply.json().path("ledger")) {
      long epoch = l.at("/spend/epoch").asLong();
      perEpoch.merge(epoch, l.at("/spend/epsilon").decimalValue(), BigDecimal::add);
    }
    List<Svg.Bar> all = new ArrayList<>();
    perEpoch.forEach((e, eps) -> all.add(new Svg.Bar(String.valueOf(e), eps.doubleValue())));
    List<Svg.Bar> bars = all.size() > CHART_EPOCHS ? all.subList(all.size() - CHART_EPOCHS, all.size()) : all;
    JsonNode units = reply.json().path("units");
    return Html.f("""
        <p>Current epoch {} · {} releases · ε spent <b>{}</b> of lifetime {} (δ {} of {}) · remaining ε <b>{}</b></p>
        <p>Budget lines: per CID ε {} · per creator ε {} (one tree node per unit each epoch; {} tree levels)</p>
        {}""",
        reply.json().path("current_epoch").asLong(), units.at("/cids/releases").asInt(), b.path("epsilon").asText(),
        b.path("lifetimeEpsilon").asText(), b.path("delta").asText(), b.path("lifetimeDelta").asText(),
        b.path("lifetimeEpsilon").decimalValue().subtract(b.path("epsilon").decimalValue()).max(BigDecimal.ZERO)
            .stripTrailingZeros().toPlainString(),
        units.at("/cids/epsilon").asText("0"), units.at("/creators/epsilon").asText("0"),
        reply.json().path("tree_levels").asInt(),
        Svg.bars("ε spent per epoch (x: epoch number; the last " + CHART_EPOCHS + " with a release)", bars, "ε"));
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
