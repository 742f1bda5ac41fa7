package io.fedsearch.web.ui;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /wallet}: the "My wallet" page's shell — the parts that need no server state and no wallet yet: where
 * the browser wallet will show its channel and purchases, and the help panel that explains channels, claims and
 * settlement and what happens when a channel closes or expires, in plain words. Static text, no script: the browser
 * wallet (issue 22) fills the empty region once its bundle is served. The facts follow the ledger's channel rules
 * (shared/docs/xrpl-channels.md).
 */
final class WalletPage {
  private final Ui ui;

  WalletPage(Ui ui) {
    this.ui = ui;
  }

  void handle(ServerRequest req, ServerResponse res) {
    Html body = Html.f("""
        <h1>My wallet</h1>
        <section class="panel" id="wallet-state" aria-labelledby="wallet-state-title">
        <h2 id="wallet-state-title">Your channel and purchases</h2>
        <p class="empty" id="no-wallet">No wallet in this browser yet. The wallet lives in your browser: its key is
        made here and never leaves this device, not even to this node.</p>
        </section>
        <section class="panel" id="wallet-help" aria-labelledby="wallet-help-title">
        <h2 id="wallet-help-title">How paying works</h2>
        <h3>Your account</h3>
        <p>Your wallet is an account on the XRP Ledger. You put XRP in it; the ledger keeps a small part of it as a
        reserve, set by the network, for the account and for each channel it opens.</p>
        <h3>Channels</h3>
        <p>A payment channel sets aside an amount of your XRP on the ledger for one receiver: this node ({}), acting as
        your hub, which passes each payment on to the platform you buy from. Opening a channel is one ledger
        transaction; after that, buying costs no ledger transaction at all, so a purchase is instant and nearly
        free. The XRP in the channel is still yours until you spend it: nobody can take more than you signed for.</p>
        <h3>Claims</h3>
        <p>Each purchase is a claim: a message your wallet signs that says “the receiver may now take this much from
        the channel in total”. Every claim replaces the previous one with a larger total, so the receiver only ever
        needs your latest claim. You can see how much of the channel you have spent and how much remains.</p>
        <h3>Settlement</h3>
        <p>From time to time the receiver takes its money out of the channel by sending your latest claim to the
        ledger. That is settlement: a purchase is <em>accepted</em> when the node has recorded your claim,
        <em>pending settlement</em> until the claim is on the ledger, and <em>settled</em> once the ledger has
        confirmed it (with a transaction hash you can look up). Settling never takes more than your latest claim.</p>
        <h3>When a channel closes or expires</h3>
        <ul>
        <li>You can ask to close your channel. If everything you signed has been paid out, it closes at once;
        otherwise the ledger waits a fixed delay, agreed when the channel was opened, so the receiver can still
        settle your last claim. Then the channel closes.</li>
        <li>A channel can also have an expiry time. The receiver settles your claims before then; after it, the
        channel takes no new purchases and closes the next time anyone touches it on the ledger.</li>
        <li>When a channel closes, whatever you had not spent goes back to your account automatically, and the
        channel's reserve is released. What you had already spent stays with the receiver: you received what you
        paid for.</li>
        <li>To keep buying after a channel closes or runs low, open a new channel or top the current one up.</li>
        </ul>
        </section>""", ui.platform());
    Layout.send(res, 200, ui.layout().page("My wallet", "/wallet", body, Layout.Scripts.WALLET));
  }
}
