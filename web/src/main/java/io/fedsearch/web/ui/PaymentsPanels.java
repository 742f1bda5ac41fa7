package io.fedsearch.web.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The dashboard's money panels, from the node's payments API (admin): channels with balances and time to
 * exhaustion ({@code /api/channels}), discovery fees owed and payouts made ({@code /api/payouts}), the outbox of
 * signed ledger transactions ({@code /api/outbox}) and the node's XRPL wallet ({@code /api/wallet}). A node without
 * those routes gets a "payments not configured" panel; fields these panels do not know are still shown.
 */
final class PaymentsPanels {
  static final int MAX_CHANNELS = 25;
  private final Ui ui;

  PaymentsPanels(Ui ui) {
    this.ui = ui;
  }

  /** @param csrf the page's form token, for the outbox's submit button */
  Html render(ServerRequest req, String csrf) {
    PageApi.Reply channels = ui.api().channels();
    if (channels.noRoute()) {
      return Html.f("""
          <section class="panel wide" id="payments"><h2>Payments</h2><p class="empty unavailable">Payments not
          configured on this node (/api/channels, /api/payouts and /api/outbox are not served).</p></section>""");
    }
    PageApi.Reply payouts = ui.api().payouts();
    PageApi.Reply outbox = ui.api().outbox();
    PageApi.Reply wallet = ui.api().wallet();
    return Html.f("""
        <section class="panel wide" id="wallet"><h2>Wallet</h2>{}</section>
        <section class="panel wide" id="channels"><h2>Channels</h2>{}</section>
        <section class="panel wide" id="payouts"><h2>Discovery fees and payouts</h2>{}</section>
        <section class="panel wide" id="outbox"><h2>Outbox <small>signed ledger transactions</small></h2>{}</section>""",
        panel(wallet, this::wallet), panel(channels, this::channels), panel(payouts, json -> payouts(req, json)),
        panel(outbox, json -> outbox(req, json, csrf)));
  }

  private interface Body {
    Html render(JsonNode json);
  }

  private static Html panel(PageApi.Reply r, Body body) {
    if (r.noRoute()) {
      return Html.f("<p class=\"empty unavailable\">Not served by this node.</p>");
    }
    if (!r.ok()) {
      return Html.f("<p class=\"notice bad\">{}</p>", r.error());
    }
    return body.render(r.json());
  }

  private Html wallet(JsonNode w) {
    return Html.f("""
        <dl class="fields"><dt>XRPL address</dt><dd><code class="long">{}</code> <small>({})</small></dd>
        <dt>Ledger</dt><dd>{}</dd></dl>""",
        w.path("address").asText(), w.path("key_type").asText(), w.path("ledger").asText());
  }

  private Html channels(JsonNode json) {
    List<JsonNode> rows = list(json.path("channels"));
    if (rows.isEmpty()) {
      return Html.f("<p class=\"empty\">No channels yet: they open with the first purchase or payout.</p>");
    }
    long payee = rows.stream().filter(c -> "payee".equals(c.path("role").asText())).count();
    long received = rows.stream().filter(c -> "payee".equals(c.path("role").asText()))
        .mapToLong(c -> c.path("used").asLong()).sum();
    long paid = rows.stream().filter(c -> !"payee".equals(c.path("role").asText()))
        .mapToLong(c -> c.path("used").asLong()).sum();
    int total = rows.size();
    // Busiest first: a node with many buyers has many channels; the page shows the ones that matter most.
    rows.sort(java.util.Comparator.comparingLong((JsonNode c) -> c.path("used").asLong()).reversed());
    List<JsonNode> shown = rows.size() > MAX_CHANNELS ? rows.subList(0, MAX_CHANNELS) : rows;
    return Html.f("""
        <p class="summary-line">{} channels: {} paid to us (received {}), {} we pay (paid {}).{}</p>
        <div class="scroll" tabindex="0" role="region" aria-label="table (scrolls sideways)"><table><thead><tr><th scope="col">Role</th><th scope="col">Counterparty</th>
        <th scope="col">Status</th><th scope="col">Amount</th><th scope="col">Used</th><th scope="col">Remaining</th>
        <th scope="col">Unsettled</th><th scope="col">Exhausted in</th>
        <th scope="col">Warnings</th></tr></thead><tbody>{}</tbody></table></div>""",
        total, payee, Layout.amount(received), total - payee, Layout.amount(paid),
        total > shown.size() ? " Showing the " + shown.size() + " busiest." : "",
        Html.each(shown, c -> Html.f("<tr class=\"channel {}\"><td>{}</td><td><code class=\"long\" title=\"channel {}\">{}"
            + "</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td title=\"spending {} drops/s\">{}</td>"
            + "<td class=\"warn\">{}</td></tr>",
            c.path("role").asText(), role(c.path("role").asText()), c.path("id").asText(), c.path("counterparty").asText(),
            c.path("status").asText(), Layout.amount(c.path("amount").asLong()), Layout.amount(c.path("used").asLong()),
            Layout.amount(c.path("remaining").asLong()), Layout.amount(c.path("unsettled").asLong()),
            c.path("spend_rate_drops_per_s").asDouble(),
            c.path("time_to_exhaustion_s").isNumber() ? duration(c.path("time_to_exhaustion_s").asLong()) : "—",
            String.join("; ", list(c.path("warnings")).stream().map(JsonNode::asText).toList()))));
  }

  private static String role(String role) {
    return switch (role) {
      case "payee" -> "paid to us";
      case "payer" -> "we pay";
      default -> role;
    };
  }

  private Html payouts(ServerRequest req, JsonNode json) {
    List<JsonNode> owed = list(json.path("owed"));
    TablePage<JsonNode> made = TablePage.of(req, "payouts_page", list(json.path("payouts")));
    Html owedTable = owed.isEmpty() ? Html.f("<p class=\"empty\">This node owes no discovery fees.</p>")
        : Html.f("""
            <div class="scroll" tabindex="0" role="region" aria-label="table (scrolls sideways)"><table><thead><tr><th scope="col">To node</th><th scope="col">Accrued</th>
            <th scope="col">Paid</th><th scope="col">Netted</th><th scope="col">Due</th><th scope="col">Oldest unpaid</th>
            <th scope="col">Held</th></tr></thead><tbody>{}</tbody></table></div>""",
            Html.each(owed, o -> Html.f("<tr><td><code class=\"long\">{}</code></td><td>{}</td><td>{}</td><td>{}</td>"
                + "<td>{}</td><td>{}</td><td>{}</td></tr>", o.path("node").asText(), Layout.amount(o.path("accrued").asLong()),
                Layout.amount(o.path("paid").asLong()), Layout.amount(o.path("netted").asLong()),
                Layout.amount(o.path("due").asLong()), o.path("oldest_unpaid").asText("—"), o.path("held").asText("—"))));
    Html madeTable = made.total() == 0 ? Html.f("<p class=\"empty\">No payouts made yet.</p>")
        : Html.f("""
            <div class="scroll" tabindex="0" role="region" aria-label="table (scrolls sideways)"><table><thead><tr><th scope="col">To node</th><th scope="col">Amount</th>
            <th scope="col">Cumulative</th><th scope="col">Channel</th><th scope="col">At</th></tr></thead>
            <tbody>{}</tbody></table></div>{}""",
            Html.each(made.rows(), p -> Html.f("<tr><td><code class=\"long\">{}</code></td><td>{}</td><td>{}</td>"
                + "<td><code class=\"long\">{}</code></td><td>{}</td></tr>", p.path("node").asText(),
                Layout.amount(p.path("amount").asLong()), Layout.amount(p.path("cumulative").asLong()),
                p.path("channel").asText(), p.path("at").asText())), made.nav(req, "payouts"));
    List<JsonNode> netting = list(json.path("netting"));
    return Html.f("""
        <p class="note">Fees this node earns arrive as payout channels from the selling platforms (“paid to us” above).</p>
        <h3>Owed by this node</h3>{}<h3>Payouts made</h3>{}{}""", owedTable, madeTable,
        netting.isEmpty() ? Html.EMPTY : Html.f("<h3>Netting</h3>{}", JsonView.table(json.path("netting"))));
  }

  /**
   * The outbox summarised by status (with the age of the oldest transaction still waiting), filtered by status on
   * request, and paged: it holds hundreds of rows after minutes of traffic.
   */
  private Html outbox(ServerRequest req, JsonNode json, String csrf) {
    List<JsonNode> all = list(json.path("transactions"));
    java.util.Map<String, Long> byStatus = new java.util.TreeMap<>();
    all.forEach(t -> byStatus.merge(t.path("status").asText(), 1L, Long::sum));
    String filter = req.query().first("outbox_status").filter(byStatus::containsKey).orElse("");
    List<JsonNode> shown = filter.isEmpty() ? all
        : all.stream().filter(t -> filter.equals(t.path("status").asText())).toList();
    TablePage<JsonNode> txs = TablePage.of(req, "outbox_page", shown);
    boolean ledger = json.path("ledger_configured").asBoolean(true);
    Html note = ledger ? Html.EMPTY
        : Html.f("<p class=\"note\">No ledger configured: signed transactions wait here for submission.</p>");
    if (all.isEmpty()) {
      return Html.f("{}<p class=\"empty\">Empty.</p>", note);
    }
    String oldestWaiting = all.stream().filter(t -> WAITING.contains(t.path("status").asText()))
        .map(t -> t.path("created_at").asText()).filter(a -> !a.isEmpty()).min(String::compareTo).orElse(null);
    Html summary = Html.f("<p class=\"summary\" id=\"outbox-summary\">{}{} · show: {}</p>",
        String.join(" · ", byStatus.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList()),
        oldestWaiting == null ? "" : " · oldest waiting since " + oldestWaiting,
        Html.each(java.util.stream.Stream.concat(java.util.stream.Stream.of(""), byStatus.keySet().stream()).toList(),
            st -> st.equals(filter) ? Html.f("<b>{}</b> ", st.isEmpty() ? "all" : st)
                : Html.f("<a href=\"/dashboard?outbox_status={}#outbox\">{}</a> ", st, st.isEmpty() ? "all" : st)));
    // With a ledger, the submitter runs on its own schedule; the button runs a round now.
    Html submit = !ledger ? Html.EMPTY : Html.f("""
        <form method="post" action="/dashboard/outbox/submit">{}<button type="submit">Submit now</button></form>""",
        Forms.csrfField(csrf));
    return Html.f("""
        {}{}{}<div class="scroll" tabindex="0" role="region" aria-label="table (scrolls sideways)"><table><thead><tr><th scope="col">Kind</th><th scope="col">Status</th>
        <th scope="col">Channel</th><th scope="col">Hash</th><th scope="col">Attempts</th><th scope="col">Fee</th>
        <th scope="col">Created</th><th scope="col">Result</th></tr></thead><tbody>{}</tbody></table></div>{}""",
        note, summary, submit, Html.each(txs.rows(), t -> Html.f("<tr class=\"tx\"><td>{}</td><td>{}</td><td><code class=\"long\">{}</code></td>"
            + "<td><code class=\"long\">{}</code></td><td>{}</td><td>{} drops</td><td>{}</td><td>{}</td></tr>",
            t.path("kind").asText(), t.path("status").asText(), t.path("channel").asText("—"), t.path("hash").asText("—"),
            t.path("attempts").asInt(), t.path("fee").asLong(), t.path("created_at").asText(),
            t.path("result").asText("—"))), txs.nav(req, "outbox"));
  }

  /** Outbox statuses of a transaction not yet final on the ledger. */
  private static final java.util.Set<String> WAITING = java.util.Set.of(
      io.fedsearch.federation.payments.ledger.Outbox.PENDING, io.fedsearch.federation.payments.ledger.Outbox.SUBMITTED);

  private static String duration(long seconds) {
    if (seconds < 120) {
      return seconds + " s";
    }
    if (seconds < 7200) {
      return seconds / 60 + " min";
    }
    if (seconds < 172_800) {
      return seconds / 3600 + " h";
    }
    return seconds / 86_400 + " days";
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
