package io.fedsearch.web.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /creator/{name}}: reputation score and interval, its history (SVG), the per-platform breakdown, the
 * creator's works across the federation, the signed attestation to download ({@code /creator/{name}/attestation})
 * and a form that verifies any attestation ({@code POST /creator/{name}/verify} → {@code /api/attestations/verify}).
 */
final class CreatorPage {
  static final int MAX_NAME = 200;
  private final Ui ui;

  CreatorPage(Ui ui) {
    this.ui = ui;
  }

  void handle(ServerRequest req, ServerResponse res) {
    render(req, res, Html.EMPTY, "");
  }

  private void render(ServerRequest req, ServerResponse res, Html verification, String pasted) {
    String name = name(req);
    PageApi.Reply rep = ui.api().creator(name, 30);
    if (rep.status() >= 500) {
      throw new UiException(502, rep.error());
    }
    PageApi.Reply works = ui.api().search("limit=10&creator=" + Html.url(name));
    Html score;
    Html chart = Html.EMPTY;
    Html platforms = Html.EMPTY;
    Html attestation;
    if (rep.ok()) {
      JsonNode r = rep.json();
      double s = r.path("score").asDouble();
      score = Html.f("""
          <div class="score {}"><span class="value">{}</span><span class="of">/ 100</span>
          <span class="interval">interval {} – {} · evidence {} · epoch {}</span></div>""",
          SearchPage.band(s), Svg.num(s), Svg.num(r.at("/interval/low").asDouble()),
          Svg.num(r.at("/interval/high").asDouble()), Svg.num(r.path("evidence").asDouble()), r.path("epoch").asLong());
      chart = Svg.band("Score by day, with its interval", history(r.path("history")), 100);
      platforms = Html.f("<h2>Per platform</h2>{}{}", platformTable(r.path("platforms")),
          PointCostPanel.render(r.path("cost_per_point"), ui.node().privacy().config().epochLength()));
      boolean evidence = r.path("evidence").asDouble() > 0;
      attestation = !evidence
          ? Html.f("<p class=\"muted\">No evidence yet, so there is nothing to attest.</p>")
          : r.path("attestation").isObject()
          ? Html.f("<p><a class=\"button\" href=\"/creator/{}/attestation\" download>Download the signed attestation"
              + "</a> <small>signed by this node; anyone can check it below or with <code>POST"
              + " /api/attestations/verify</code></small></p>", Html.url(name))
          : Html.f("<p class=\"muted\">This node has no signing key for attestations.</p>");
    } else {
      // One plain sentence, not the API's message wrapped in another.
      score = Html.f("<p class=\"notice\" id=\"no-score\">No score for {} yet: no platform has released payment "
          + "signals that name this creator. Scores appear after the platforms' first daily releases.</p>", name);
      attestation = Html.f("<p class=\"muted\">No evidence yet, so there is nothing to attest.</p>");
    }
    Html worksList = works.ok() && works.json().path("hits").size() > 0
        ? Html.f("<ul class=\"works\">{}</ul>", Html.each(iter(works.json().path("hits")), w -> Html.f(
            "<li><a href=\"/entry/{}?q={}\">{}</a> <small>{}</small></li>", Html.url(w.path("cid").asText()),
            Html.url(w.at("/entry/title").asText()), w.at("/entry/title").asText(), String.join(", ",
                iter(w.path("hosts")).stream().map(h -> h.path("platform").asText()).distinct().toList()))))
        : Html.f("<p class=\"empty\">No works by this creator found.</p>");
    String csrf = Forms.csrfToken(req, res);
    Html body = Html.f("""
        <h1>{} <small>creator</small></h1>{}{}{}
        <details class="help"><summary>Why another node may show a different score</summary>
        <p>Each node computes scores itself, from the signed signal releases it has received so far and from how much
        it trusts each platform (trust follows settled payments between platforms). Two nodes agree once they hold the
        same releases and trust the platforms alike; the attestation below names the node that computed it.</p>
        </details>
        <h2>Works</h2>{}
        <h2>Attestation</h2>{}
        <form class="verify" method="post" action="/creator/{}/verify">{}
        <label for="attestation">Verify an attestation (paste its JSON)</label>
        <textarea id="attestation" name="attestation" rows="5" maxlength="8192" required>{}</textarea>
        <button type="submit">Verify</button></form>{}""",
        name, score, chart, platforms, worksList, attestation, Html.url(name), Forms.csrfField(csrf), pasted,
        verification);
    boolean known = rep.ok() || (works.ok() && works.json().path("hits").size() > 0);
    Layout.send(res, known ? 200 : 404, ui.layout().page(name, "", body));
  }

  /**
   * The history from the first epoch with any evidence (epochs before the node or the creator had any are not
   * drawn as zeros), each labelled with its day.
   */
  private List<Svg.Band> history(JsonNode history) {
    long epochSeconds = ui.node().privacy().config().epochLength().getSeconds();
    List<Svg.Band> points = new ArrayList<>();
    for (JsonNode h : history) {
      if (points.isEmpty() && h.path("evidence").asDouble() <= 0) {
        continue;
      }
      java.time.Instant start = java.time.Instant.ofEpochSecond(h.path("epoch").asLong() * epochSeconds);
      String label = epochSeconds >= 86_400 ? DAY.format(start) : TIME.format(start);
      points.add(new Svg.Band(label, h.path("score").asDouble(), h.path("low").asDouble(), h.path("high").asDouble()));
    }
    return points;
  }

  private static final java.time.format.DateTimeFormatter DAY =
      java.time.format.DateTimeFormatter.ofPattern("MMM d", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);
  private static final java.time.format.DateTimeFormatter TIME =
      java.time.format.DateTimeFormatter.ofPattern("MMM d HH:mm", java.util.Locale.ENGLISH)
          .withZone(java.time.ZoneOffset.UTC);

  private static Html platformTable(JsonNode platforms) {
    if (platforms.isEmpty()) {
      return Html.f("<p class=\"empty\">No platform has released evidence yet.</p>");
    }
    return Html.f("""
        <div class="scroll" tabindex="0" role="region" aria-label="table (scrolls sideways)"><table><thead><tr><th scope="col">Platform</th><th scope="col">Trust</th>
        <th scope="col">Weight</th><th scope="col">Evidence</th><th scope="col">Credited</th><th scope="col">Points</th>
        <th scope="col">Epochs</th></tr></thead><tbody>{}</tbody></table></div>""",
        Html.each(iter(platforms), p -> Html.f("<tr><td>{}</td><td>{}</td><td>{}</td>"
            + "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", platformCell(p),
            Svg.num(p.path("trust").asDouble()), Svg.num(p.path("weight").asDouble()),
            Svg.num(p.path("evidence").asDouble()), Svg.num(p.path("credited").asDouble()),
            Svg.num(p.path("points").asDouble()), p.path("epochs").asInt())));
  }

  /** The platform's name when the node knows it (its key on hover), else its key. */
  private static Html platformCell(JsonNode p) {
    String key = p.path("platform").asText();
    return p.hasNonNull("name")
        ? Html.f("<span title=\"platform key {}\">{}</span>", key, p.path("name").asText())
        : Html.f("<code class=\"long\">{}</code>", key);
  }

  void attestation(ServerRequest req, ServerResponse res) {
    String name = name(req);
    PageApi.Reply rep = ui.api().creator(name, 1);
    if (!rep.ok()) {
      throw new UiException(rep.status() == 404 ? 404 : 502, rep.error());
    }
    if (!rep.json().path("attestation").isObject()) {
      throw new UiException(404, "this node signs no attestations");
    }
    if (rep.json().path("evidence").asDouble() <= 0) {
      throw new UiException(404, "no evidence yet for " + name + ", so there is nothing to attest");
    }
    res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
    res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"attestation-"
        + name.replaceAll("[^A-Za-z0-9._-]", "_") + ".json\"");
    res.send(rep.json().path("attestation").toString().getBytes(StandardCharsets.UTF_8));
  }

  void verify(ServerRequest req, ServerResponse res) {
    Map<String, String> form = Forms.post(req, res);
    String pasted = form.getOrDefault("attestation", "");
    PageApi.Reply r = ui.api().verifyAttestation(pasted);
    Html result;
    if (r.ok()) {
      JsonNode v = r.json();
      boolean valid = v.path("valid").asBoolean();
      result = Html.f("""
          <section class="verification" id="verification" role="status"><p class="notice {}">{} — {}</p>{}</section>""",
          valid ? "good" : "bad", valid ? "✓ Valid attestation" : "✗ Not valid", v.path("reason").asText(),
          JsonView.object(v.path("attestation").isObject() ? v.path("attestation") : null));
    } else {
      result = Html.f("<section class=\"verification\" id=\"verification\" role=\"status\"><p class=\"notice bad\">{}"
          + "</p></section>", r.error());
    }
    render(req, res, result, pasted);
  }

  private static String name(ServerRequest req) {
    String name = req.path().pathParameters().get("name");
    if (name.isBlank() || name.length() > MAX_NAME) {
      throw new UiException(400, "creator name must be 1 to " + MAX_NAME + " characters");
    }
    return name;
  }

  private static List<JsonNode> iter(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
