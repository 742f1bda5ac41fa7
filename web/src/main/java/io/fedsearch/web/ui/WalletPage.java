package io.fedsearch.web.ui;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /wallet}, "My wallet": the shell of the browser wallet. The wallet itself lives in the user's browser
 * ({@code static/wallet*.js}: key, channel, claims, receipts); this node never sees the key and keeps no account per
 * user, so the page it sends is the same for everyone: the place the script fills in, what to do without
 * JavaScript, and a help panel on channels, claims and settlement in plain words.
 */
final class WalletPage {
  private final Ui ui;

  WalletPage(Ui ui) {
    this.ui = ui;
  }

  void handle(ServerRequest req, ServerResponse res) {
    boolean hub = ui.node().hub().isPresent();
    Html body = Html.f("""
        <section class="wallet"><h1>My wallet</h1>
        <noscript><p class="notice bad">Your wallet lives in this browser: its key is made and kept here and signs
        your payments here, so this page needs JavaScript. Nothing about it is stored on the node.</p></noscript>
        {}
        <div id="wallet-status" role="status" aria-live="polite"></div>
        <div id="wallet-app" class="wallet-app"></div>
        <section class="panel help" aria-labelledby="wallet-help"><h2 id="wallet-help">How paying works</h2>
        <dl class="fields">
        <dt>Channel</dt><dd>You lock an amount of XRP in a payment channel to this node (your hub) once. Each purchase
        then moves a little of it to the hub without a ledger transaction each time; the hub pays the platform you buy
        from over its own channel, so one channel pays every platform.</dd>
        <dt>Claim</dt><dd>A purchase is paid by a claim: your signature saying "the hub may take N in total from the
        channel". Claims only grow; the hub can redeem only the highest one, once. Your browser signs them; the key
        never leaves it.</dd>
        <dt>Receipt and credit</dt><dd>For each purchase you get the platform's signed receipt and the hub's signed
        acknowledgement. If the platform refuses or cannot be reached, the hub signs a credit note and your next
        purchase spends it, so your claim never has to go back down. At most one purchase is in flight: that is all a
        dishonest hub could keep.</dd>
        <dt>Settlement</dt><dd>The hub redeems your highest claim on the XRP Ledger when it settles. When you close
        the channel, the hub has the channel's settle delay to redeem what you spent; everything else returns to your
        account.</dd></dl></section></section>""",
        hub ? Html.f("") : Html.f("<p class=\"notice bad\">This node is not a payment hub (start it with"
            + " <code>--hub</code>): a browser wallet cannot pay through it.</p>"));
    Layout.send(res, 200, ui.layout().page("My wallet", "/wallet", body));
  }
}
