package io.fedsearch.web.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /dashboard/economics?days=N} (admin; otherwise 401 and a link to log in): the node's money from
 * {@code /api/economics} — revenue from sales, discovery fees earned and paid, hub fees, ledger fees, capital locked
 * in channels with its efficiency (spent ÷ locked) and the account reserve, per-payer averages, and per-day charts
 * (server-drawn SVG) with the same figures as a table.
 */
final class EconomicsPage {
  /** The periods offered; any other {@code days} the API accepts works too. */
  static final List<Integer> PERIODS = List.of(7, 30, 90);
  private final Ui ui;

  EconomicsPage(Ui ui) {
    this.ui = ui;
  }

  void handle(ServerRequest req, ServerResponse res) {
    if (!ui.admin().isAdmin(req)) {
      Layout.send(res, 401, ui.layout().page("Log in", "/dashboard", Html.f("""
          <section class="login"><h1>Node economics</h1><p>This page needs the node's admin token.
          <a href="/dashboard">Log in on the dashboard</a>, then come back.</p></section>""")));
      return;
    }
    int days = req.query().first("days").map(EconomicsPage::days).orElse(30);
    PageApi.Reply r = ui.api().economics(days);
    Html body;
    if (r.noRoute()) {
      body = Html.f("<p class=\"empty unavailable\">Payments are not configured on this node.</p>");
    } else if (!r.ok()) {
      body = Html.f("<p class=\"notice bad\" role=\"alert\">{}</p>", r.error());
    } else {
      body = render(r.json(), days);
    }
    Layout.send(res, 200, ui.layout().page("Economics", "/dashboard", Html.f("""
        <div class="dash-head"><h1>Economics <small>{} node</small></h1>
        <p><a href="/dashboard">Back to the dashboard</a></p></div>{}""", ui.platform(), body)));
  }

  private static int days(String v) {
    try {
      return Math.max(1, Math.min(366, Integer.parseInt(v)));
    } catch (NumberFormatException e) {
      return 30;
    }
  }

  private static Html render(JsonNode e, int days) {
    JsonNode sales = e.path("sales");
    JsonNode fees = e.path("discovery_fees");
    JsonNode ledger = e.path("ledger_fees");
    JsonNode cap = e.path("capital");
    JsonNode payer = e.path("per_payer");
    Html efficiency = cap.path("efficiency").isNull()
        ? Html.f("<dd>— <small>(this node funds no channel)</small></dd>")
        : Html.f("<dd id=\"efficiency\"><b>{} %</b> <small>spent ÷ locked</small></dd>",
            Svg.num(100 * cap.path("efficiency").asDouble()));
    Html reserve = cap.path("reserve").isNull()
        ? Html.f("<dd>— <small>({})</small></dd>", cap.path("reserve_note").asText())
        : Html.f("<dd>{} <small>({})</small></dd>", Layout.amount(cap.path("reserve").asLong()),
            cap.path("reserve_note").asText());
    return Html.f("""
        <p class="periods">Period: {}</p>
        <div class="panels halves">
        <section class="panel" id="economics-income"><h2>Income</h2><dl class="fields">
        <dt>Revenue from sales</dt><dd id="revenue"><b>{}</b> <small>{}; {} of it owed as discovery fees</small></dd>
        <dt>Discovery fees earned</dt><dd id="fees-earned">{} <small>{} by claims, {} by netting</small></dd>
        <dt>Hub fees</dt><dd id="hub-fees">{} <small>no hub journal on this node yet</small></dd>
        </dl></section>
        <section class="panel" id="economics-costs"><h2>Costs</h2><dl class="fields">
        <dt>Discovery fees paid</dt><dd id="fees-paid">{} <small>{} by claims, {} by netting; {} still owed</small></dd>
        <dt>Ledger fees spent</dt><dd id="ledger-fees">{} <small>{}; {} waiting on {} more</small></dd>
        </dl></section>
        <section class="panel" id="economics-capital"><h2>Capital</h2><dl class="fields">
        <dt>Locked in channels this node funds</dt><dd id="locked">{} <small>{} ({} awaiting the ledger)</small></dd>
        <dt>Spent through them</dt><dd id="spent">{}</dd>
        <dt>Capital efficiency</dt>{}
        <dt>Account reserve</dt>{}
        <dt>Locked by others in channels to this node</dt><dd>{} <small>{}; {} claimed</small></dd>
        </dl></section>
        <section class="panel" id="economics-payers"><h2>Per payer account</h2><dl class="fields">
        <dt>Accounts that bought</dt><dd id="payer-accounts">{}</dd>
        <dt>Purchases per account</dt><dd>{}</dd>
        <dt>Revenue per account</dt><dd>{}</dd>
        <dt>Deposit per account with a channel here</dt><dd>{} <small>{}</small></dd>
        </dl></section>
        <section class="panel wide" id="economics-daily"><h2>By day <small>UTC, last {} days</small></h2>
        <div class="charts">{}{}{}{}</div>
        <details class="help"><summary>The same figures as a table</summary>{}</details></section>
        </div>
        <details class="help"><summary>Where these figures come from</summary><p>Every figure is read from this
        node's payments journal when the page loads: sales from the sales this node journaled; fees earned from the
        claims other platforms' payout channels carry to this node; fees paid from the payout claims this node signed;
        netting settles as much of this node's debt as of the other node's. Ledger fees count once the ledger applied
        the transaction (validated, or failed with a tec code, which still takes the fee). Capital efficiency is how
        much of the XRP locked in the channels this node funds has been spent through them.</p></details>""",
        periods(days),
        Layout.amount(sales.path("revenue").asLong()), count(sales.path("count").asLong(), "sale"),
        Layout.amount(sales.path("discovery_fees_owed").asLong()),
        Layout.amount(fees.path("earned").asLong()), Layout.amount(fees.path("earned_by_claims").asLong()),
        Layout.amount(fees.path("earned_by_netting").asLong()),
        Layout.amount(e.path("hub_fees").asLong()),
        Layout.amount(fees.path("paid").asLong()), Layout.amount(fees.path("paid_by_claims").asLong()),
        Layout.amount(fees.path("paid_by_netting").asLong()), Layout.amount(fees.path("owed_unpaid").asLong()),
        Layout.amount(ledger.path("spent").asLong()), count(ledger.path("spent_transactions").asLong(), "transaction"),
        Layout.amount(ledger.path("waiting").asLong()), ledger.path("waiting_transactions").asLong(),
        Layout.amount(cap.path("locked").asLong()), count(cap.path("payer_channels").asLong(), "channel"),
        cap.path("unconfirmed_payer_channels").asLong(), Layout.amount(cap.path("spent").asLong()), efficiency, reserve,
        Layout.amount(cap.path("locked_to_us").asLong()), count(cap.path("payee_channels").asLong(), "channel"),
        Layout.amount(cap.path("received_on_them").asLong()),
        payer.path("accounts").asLong(), Svg.num(payer.path("purchases").asDouble()),
        Layout.amount(Math.round(payer.path("revenue").asDouble())),
        Layout.amount(Math.round(payer.path("channel_amount").asDouble())),
        count(payer.path("channel_accounts").asLong(), "account"),
        days,
        chart(e, "revenue", "Revenue from sales per day (XRP)"),
        chart(e, "discovery_fees_earned", "Discovery fees earned per day (XRP)"),
        chart(e, "discovery_fees_paid", "Discovery fees paid per day (XRP)"),
        chart(e, "ledger_fees", "Ledger fees spent per day (XRP)"),
        table(e.path("daily")));
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static Html periods(int days) {
    return Html.each(PERIODS, d -> d == days ? Html.f("<b>{} days</b> ", d)
        : Html.f("<a href=\"/dashboard/economics?days={}\">{} days</a> ", d, d));
  }

  /** One daily series as bars, in XRP, labelled by date (month-day). */
  private static Html chart(JsonNode e, String field, String title) {
    List<Svg.Bar> bars = new ArrayList<>();
    for (JsonNode d : e.path("daily")) {
      bars.add(new Svg.Bar(d.path("date").asText().substring(5), d.path(field).asLong() / 1_000_000.0));
    }
    return Svg.bars(title, bars, "XRP");
  }

  private static Html table(JsonNode daily) {
    List<JsonNode> rows = new ArrayList<>();
    daily.forEach(rows::add);
    return Html.f("""
        <div class="scroll" tabindex="0" role="region" aria-label="daily figures (scrolls sideways)"><table><thead><tr>
        <th scope="col">Day</th><th scope="col">Sales</th><th scope="col">Revenue</th><th scope="col">Fees earned</th>
        <th scope="col">Fees paid</th><th scope="col">Hub fees</th><th scope="col">Ledger fees</th>
        <th scope="col">Payers</th><th scope="col">Locked in new channels</th></tr></thead><tbody>{}</tbody>
        </table></div>""",
        Html.each(rows, d -> Html.f("<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            + "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", d.path("date").asText(), d.path("sales").asLong(),
            drops(d, "revenue"), drops(d, "discovery_fees_earned"), drops(d, "discovery_fees_paid"),
            drops(d, "hub_fees"), drops(d, "ledger_fees"), d.path("payers").asLong(), drops(d, "locked_opened"))));
  }

  private static String drops(JsonNode d, String field) {
    return Layout.amount(d.path(field).asLong());
  }
}
