// fedsearch browser wallet: the page part. On /wallet it builds "My wallet" (create or import, fund, open the
// channel, figures, purchases with receipts, credit notes, top up, close, export); on an entry page it turns each
// listing's "Buy" into a purchase through this node's hub with the wallet's channel, after showing the price, the
// hub fee and the discovery fee. Progressive enhancement: without JavaScript the pages still read (a Buy button then
// opens My wallet, which explains that buying needs this script), and every control is a real button or form,
// reachable by keyboard.
// Text from the network is only ever set as textContent, never as markup.
(function (global) {
  'use strict';
  const W = global.FedsearchWalletCore;
  const S = global.FedsearchWalletStore;
  const H = global.FedsearchWalletHub;
  const doc = global.document;

  const xrp = (d) => (d / 1e6).toLocaleString('en-US', { maximumFractionDigits: 6 }) + ' XRP';
  const toDrops = (text) => {
    // At most 9 whole digits: the drops stay exact as a Number (below 2^53); the ledger bounds amounts further.
    const m = /^\s*(\d{1,9})(?:\.(\d{1,6}))?\s*$/.exec(text || '');
    if (!m) throw new H.WalletError('enter an amount in XRP, e.g. 5 or 0.25 (at most 6 decimals)');
    return Number(m[1]) * 1e6 + Number((m[2] || '').padEnd(6, '0'));
  };

  function el(tag, attrs, ...children) {
    const e = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function say(box, message, good) {
    box.replaceChildren(el('p', { class: 'notice ' + (good ? 'good' : 'bad'), text: message }));
  }

  // ---- My wallet (/wallet) -------------------------------------------------------------------------------------

  async function walletPage(app) {
    const status = doc.getElementById('wallet-status');
    let record = await S.load();
    let terms = null;
    try { terms = await H.terms(); } catch (e) { terms = null; }
    // how far the channel's value has reached the ledger; null until the hub knows the channel (or if it is down)
    let settled = record && record.state.channel && terms ? await H.settlement(record.state.channel.id) : null;
    if (record && record.state.pending) {
      try {
        await S.exclusive(async () => { const r = await S.load(); if (r && r.state.pending) await H.recover(r); });
        record = await S.load();
      } catch (e) { say(status, e.message, false); }
    }
    const rerender = async (message, good) => {
      record = await S.load();
      if (record && record.state.channel && terms) settled = await H.settlement(record.state.channel.id);
      render();
      if (message) say(status, message, good);
    };
    // Every action runs under the wallet's lock on the record as stored now (another tab may have changed it).
    const act = (fn) => async (ev) => {
      if (ev) ev.preventDefault();
      try {
        await S.exclusive(async () => { record = await S.load(); await fn(); });
      } catch (e) { say(status, e.message, false); }
    };

    function render() {
      app.replaceChildren();
      if (!terms) {
        app.append(el('p', { class: 'notice bad', text: 'This node is not a payment hub, so a browser wallet cannot'
            + ' pay through it. Open the pages of a node started with --hub.' }));
      }
      if (!record) return renderNew();
      const st = record.state;
      app.append(el('section', { class: 'panel', 'aria-labelledby': 'w-account' },
          el('h2', { id: 'w-account', text: 'Your account' }),
          el('p', {}, 'Address ', el('code', { id: 'wallet-address', class: 'long', text: record.address })),
          el('p', { class: 'muted', text: 'The key was made in this browser and is stored here, encrypted; it is never'
              + ' sent anywhere. Export it to keep a copy or to use it with the fedsearch wallet command.' })));
      if (!st.channel) renderOpen();
      else renderChannel(st);
      renderExport();
    }

    function renderNew() {
      const pass = el('input', { id: 'import-pass', type: 'password', autocomplete: 'current-password' });
      const file = el('input', { id: 'import-file', type: 'file', accept: 'application/json,.json' });
      app.append(el('section', { class: 'panel', 'aria-labelledby': 'w-new' },
          el('h2', { id: 'w-new', text: 'No wallet in this browser yet' }),
          el('p', { text: 'A wallet is an XRP Ledger account whose key stays in this browser. Create one, open a'
              + ' payment channel to this node, and buy from any platform through it.' }),
          el('button', { id: 'create-wallet', type: 'button', class: 'buy', onclick: act(async () => {
            if (record) throw new H.WalletError('this browser already has a wallet (made in another tab): reload');
            const r = await S.recordFor(W.newEntropy(), W.newState());
            await S.save(r);
            await rerender('Wallet created. Its key never leaves this browser.', true);
            doc.getElementById('wallet-address')?.focus?.();
          }) }, 'Create wallet')),
      el('form', { class: 'panel', id: 'import-form', onsubmit: act(async () => {
        if (record) throw new H.WalletError('this browser already has a wallet (made in another tab): reload');
        if (!file.files.length) throw new H.WalletError('choose the wallet file to import');
        const { entropy, state } = await W.importFile(await file.files[0].text(), pass.value);
        const r = await S.recordFor(entropy, state);
        entropy.fill(0);
        await S.save(r);
        await rerender('Wallet imported. Its next claim will be above every one it signed before.', true);
      }) }, el('h2', { text: 'Or import a wallet file' }),
      el('label', { for: 'import-file', text: 'Export file (from this page or from the command fedsearch wallet export)' }), file,
      el('label', { for: 'import-pass', text: 'Its passphrase' }), pass,
      el('button', { type: 'submit', text: 'Import' })));
    }

    function renderOpen() {
      const caps = (terms && terms.channel_caps) || {};
      const cap = caps.provisional_channel_cap_drops || 0;
      const amount = el('input', { id: 'channel-amount', inputmode: 'decimal', value: String(Math.min(cap || 5e6,
          5e6) / 1e6), 'aria-describedby': 'channel-amount-help' });
      const fund = caps.ledger
        ? el('p', {}, 'Fund your account first: send XRP to ', el('code', { class: 'long', text: record.address }),
            ' (the ledger needs its reserve plus the channel amount).')
        : el('p', { text: 'This node runs without a ledger (embedded mode): there is nothing to fund. The hub accepts'
            + ' a channel of up to ' + xrp(cap) + ' on its signed create alone, and settles nothing on a real ledger.' });
      app.append(el('form', { class: 'panel', id: 'open-form', 'aria-labelledby': 'w-open', onsubmit: act(async () => {
        const ch = await H.openChannel(record, toDrops(amount.value));
        await rerender('Channel ' + ch.id.slice(0, 12) + '… opened to this hub for ' + xrp(ch.amount)
            + '. You can buy now.', true);
      }) }, el('h2', { id: 'w-open', text: 'Open a channel to this hub' }), fund,
      el('label', { for: 'channel-amount', text: 'Amount to lock in the channel (XRP)' }), amount,
      el('small', { id: 'channel-amount-help', class: 'muted', text: 'What you do not spend comes back to you when'
          + ' the channel closes.' }),
      el('button', { id: 'open-channel', type: 'submit', class: 'buy', disabled: !terms }, 'Open channel to this hub')));
    }

    function renderChannel(st) {
      const ch = st.channel;
      const spent = st.consumed;
      const remaining = Math.max(0, ch.amount - spent);
      const times = st.receipts.map((r) => Date.parse(r.at)).filter((t) => !Number.isNaN(t));
      const since = Date.parse(st.opened_at || '') || (times.length ? Math.min(...times) : Date.now());
      const perSecond = spent > 0 ? spent / Math.max(60, (Date.now() - since) / 1000) : 0;
      const exhaustion = perSecond > 0 ? duration(remaining / perSecond) : 'not spending yet';
      const rows = [
        ['Channel', el('code', { class: 'long', text: ch.id })],
        ['Amount', xrp(ch.amount)], ['Spent', el('span', { id: 'wallet-spent', text: xrp(spent) })],
        ['Remaining', el('span', { id: 'wallet-remaining', text: xrp(remaining) })],
        ['Signed so far (your highest claim)', xrp(st.signed_max)],
        ['Credit at the hub (paid, not yet spent)', xrp(Math.max(0, st.authorised - st.consumed))],
        ['Runs out at the current pace in', exhaustion],
        ['Expiry', 'none set; closing returns the rest after the hub has had ' + duration(ch.settle_delay)
            + ' to claim what you spent' + (st.close_requested_at ? ' (close requested '
            + new Date(st.close_requested_at).toLocaleString() + ')' : '')],
      ];
      app.append(el('section', { class: 'panel', 'aria-labelledby': 'w-channel' },
          el('h2', { id: 'w-channel', text: 'Your channel to this hub' }),
          el('dl', { class: 'figures' }, ...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]))));
      app.append(purchases(st), credits(st), actions(st));
    }

    function purchases(st) {
      const heads = ['When', 'Work', 'Platform', 'Price', 'Hub fee', 'Status', 'Receipt'];
      const cell = (i, attrs, ...kids) => el('td', Object.assign({ 'data-label': heads[i] }, attrs), ...kids);
      const body = st.receipts.slice().reverse().map((r) => el('tr', { class: 'purchase' },
          cell(0, { text: new Date(r.at).toLocaleString() }), cell(1, {}, el('a', { href: '/entry/'
              + encodeURIComponent(r.cid), text: r.cid.slice(0, 16) + '…' })),
          cell(2, {}, el('code', { class: 'long', text: r.platform.slice(0, 16) + '…' })),
          cell(3, { text: xrp(r.price) }), cell(4, { text: xrp(r.hub_fee) }),
          cell(5, { class: r.receipt_check === 'ok' ? 'settlement' : 'settlement bad',
            'data-state': H.settlementOf(settled, consumedAfter(r)).state }, ...statusOf(r)),
          cell(6, {}, el('details', {}, el('summary', { text: 'receipt' }),
              el('code', { class: 'long receipt-wire', text: r.receipt })))));
      return el('section', { class: 'panel', 'aria-labelledby': 'w-purchases' },
          el('h2', { id: 'w-purchases', text: 'Purchases (' + st.receipts.length + ')' }),
          st.receipts.length ? el('table', { class: 'purchases' }, el('thead', {}, el('tr', {},
              ...heads.map((h) =>
                  el('th', { scope: 'col', text: h })))), el('tbody', {}, ...body))
            : el('p', { class: 'muted', text: 'Nothing bought yet: search, open a result and press Buy.' }));
    }

    /** The channel's cumulative spend once this purchase was paid (its hub ack says), or never-settled when unknown. */
    function consumedAfter(r) {
      return r.hub_ack && Number.isSafeInteger(r.hub_ack.consumed) ? r.hub_ack.consumed : Number.MAX_SAFE_INTEGER;
    }

    /** A purchase's status: the receipt's check, then how far its value has reached the ledger. */
    function statusOf(r) {
      if (r.receipt_check !== 'ok') return ['delivered, but ' + (r.receipt_check || 'the receipt was not checked')];
      const s = H.settlementOf(settled, consumedAfter(r));
      const tx = (h) => el('code', { class: 'long tx-hash', text: h });
      if (s.state === 'settled') {
        return s.hash ? ['settled on the ledger: transaction ', tx(s.hash)]
          : ['settled on the ledger (by a claim older than the ones the hub lists)'];
      }
      if (s.state === 'pending_settlement') {
        return [(s.submitted ? 'pending settlement: the hub submitted claim transaction '
          : 'pending settlement: the hub signed and queued claim transaction '), tx(s.hash),
        settled && !settled.ledger ? ' (this node has no ledger: it stays queued)' : ''];
      }
      const due = settled && settled.due_by ? ' by ' + new Date(settled.due_by).toLocaleString() : '';
      return ['accepted (the platform\'s receipt verified); the hub settles it on the ledger' + due
          + (settled ? ', or sooner once ' + xrp(settled.threshold_drops) + ' are unsettled' : '')];
    }

    function credits(st) {
      return el('section', { class: 'panel', 'aria-labelledby': 'w-credits' },
          el('h2', { id: 'w-credits', text: 'Credit notes (' + st.credit_notes.length + ')' }),
          st.credit_notes.length ? el('ul', {}, ...st.credit_notes.map((c) => el('li', {
            text: new Date(c.at).toLocaleString() + ': ' + xrp(c.cost) + ' kept as credit — '
                + (c.reason_message || c.reason_code || 'refused') })))
            : el('p', { class: 'muted', text: 'None: when a platform refuses a purchase, the hub signs a credit note'
                + ' and your next purchase spends it.' }));
    }

    function actions(st) {
      const top = el('input', { id: 'topup-amount', inputmode: 'decimal', value: '1' });
      return el('section', { class: 'panel', 'aria-labelledby': 'w-actions' },
          el('h2', { id: 'w-actions', text: 'Top up or close' }),
          el('form', { onsubmit: act(async () => {
            const d = toDrops(top.value);
            await H.channelTx(record, 'fund', d);
            await rerender('Top-up of ' + xrp(d) + ' signed and kept; it counts once it is on the ledger (export'
                + ' the wallet and run the command fedsearch wallet submit).', true);
          }) }, el('label', { for: 'topup-amount', text: 'Add to the channel (XRP)' }), top,
          el('button', { type: 'submit', text: 'Top up' })),
          el('button', { type: 'button', id: 'close-channel', onclick: (ev) => {
            // Asked before taking the wallet's lock, so an open dialog never holds up another tab.
            if (!global.confirm('Ask the ledger to close the channel? The hub keeps ' + duration(st.channel.settle_delay)
                + ' to claim what you spent; the rest comes back to you.')) return;
            act(async () => {
              await H.channelTx(record, 'close');
              await rerender('Close signed and kept for the ledger.', true);
            })(ev);
          } }, 'Close channel'));
    }

    function renderExport() {
      const pass = el('input', { id: 'export-pass', type: 'password', autocomplete: 'new-password', minlength: '8' });
      const out = el('div', { id: 'export-out' });
      app.append(el('form', { class: 'panel', id: 'export-form', onsubmit: act(async () => {
        // The file can sign elsewhere from now on: this copy, too, asks the hub what it holds before its next claim.
        record.state.needs_sync = true;
        record.state.shared = true;
        await S.save(record);
        const text = await S.withKey(record, async (key, entropy) => W.exportFile(entropy, record.state, pass.value));
        pass.value = '';
        const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
        out.replaceChildren(el('a', { href: url, download: 'fedsearch-wallet.json', id: 'export-link' },
            'Download fedsearch-wallet.json'));
        out.querySelector('a').focus();
      }) }, el('h2', { text: 'Export' }), el('label', { for: 'export-pass', text: 'Passphrase for the file (at least'
          + ' 8 characters)' }), pass, el('button', { type: 'submit', text: 'Export wallet file' }), out));
    }

    render();
  }

  function duration(seconds) {
    if (!Number.isFinite(seconds)) return 'never';
    if (seconds < 120) return Math.round(seconds) + ' s';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h';
    return Math.round(seconds / 86400) + ' days';
  }

  // ---- Buy through the hub (entry pages) ---------------------------------------------------------------------

  async function enhanceBuy(forms) {
    try { await H.terms(); } catch (e) { return; } // not a hub: Buy opens My wallet, which says so
    for (const form of forms) {
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        // The terms are asked each time: the fee shown must be the hub's now (it refuses fee_changed otherwise).
        H.terms().then((terms) => confirmPanel(form, terms)).catch((e) => showResult(form, e.message, false));
      });
    }
  }

  function listingOf(form) {
    const d = form.dataset; // the entry page's listing: CID, platform node, price, attribution token, its web page
    return { cid: d.listing, platform: d.node, price: W.drops(d.price, 'price'), token: d.token, url: d.url || '' };
  }

  function panelFor(form) {
    let p = form.parentElement.querySelector('.wallet-panel');
    if (!p) {
      p = el('div', { class: 'wallet-panel', role: 'group', tabindex: '-1', 'aria-label': 'Pay from your wallet' });
      form.after(p);
    }
    return p;
  }

  function showResult(form, message, good, ...links) {
    const p = panelFor(form);
    p.replaceChildren(el('p', { class: 'notice ' + (good ? 'good' : 'bad'), role: 'status', text: message }),
        ...links);
    p.focus();
  }

  /** Where the platform serves what was just bought: its listing's own web page, when it names one. */
  function getItLink(form, l) {
    if (!/^https?:\/\//.test(l.url)) return '';
    const platform = form.closest('li')?.querySelector('.platform')?.textContent || 'the platform';
    return el('p', {}, el('a', { class: 'get-it', href: l.url, rel: 'noopener noreferrer nofollow',
      text: 'Get it on ' + platform }), ' (show your receipt from My wallet if asked)');
  }

  async function confirmPanel(form, terms) {
    const record = await S.load();
    const p = panelFor(form);
    if (!record || !record.state.channel) {
      p.replaceChildren(el('p', { class: 'notice', role: 'status' }, 'Buying pays from a wallet in your browser. ',
          el('a', { href: '/wallet', text: 'Create your wallet and open a channel on My wallet' }), ', then come back.'));
      p.focus();
      return;
    }
    const l = listingOf(form);
    const own = l.platform === terms.peer_id; // the hub sells it itself: nothing is forwarded, no hub fee
    const fee = W.hubFee(terms, l.price, l.platform);
    // A listing this wallet holds a receipt for: say so before it pays again (the receipts are the wallet's own).
    const before = record.state.receipts.find((r) => r.cid === l.cid && r.platform === l.platform);
    const confirm = el('button', { type: 'button', class: 'buy confirm-hub-buy', text: (before ? 'Buy again for '
        : 'Confirm and pay ') + xrp(l.price + fee) });
    const cancel = el('button', { type: 'button', text: 'Cancel', onclick: () => { p.replaceChildren(); form
        .querySelector('button').focus(); } });
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      try {
        const r = await S.exclusive(async () => H.buy(await S.load(), l, fee));
        if (r.kind === 'hub_ack') {
          const ok = r.record.receipt_check === 'ok';
          showResult(form, 'Bought for ' + xrp(l.price + fee) + (ok ? '. The platform\'s signed receipt is in My'
              + ' wallet.' : ', but ' + r.record.receipt_check + '.'), ok, ok ? getItLink(form, l) : '',
              el('a', { href: '/wallet', text: 'My wallet' }));
        } else {
          showResult(form, 'Not delivered (' + (r.record.reason_message || r.record.reason_code) + '): '
              + xrp(r.record.cost) + ' stays with you as credit for your next purchase.', false,
              el('a', { href: '/wallet', text: 'My wallet' }));
        }
      } catch (e) {
        const again = e.code === 'fee_changed' ? ' The hub fee is now ' + xrp(e.extra.hub_fee || 0)
            + '; press Buy again to see the new total.' : '';
        showResult(form, e.message + again, false);
      }
    });
    p.replaceChildren(before ? el('p', { id: 'bought-before', class: 'notice', role: 'alert', text: 'You already'
        + ' bought this listing on ' + before.at + '. Buying it again pays again.' }) : '', el('dl', { class: 'figures' },
        el('dt', { text: 'Price' }), el('dd', { text: xrp(l.price) }),
        el('dt', { text: 'Hub fee (this node)' }), el('dd', { class: 'hub-fee', text: own ? xrp(fee)
            + ' (this node sells it itself)' : xrp(fee) }),
        el('dt', { text: 'Discovery fee' }), el('dd', { text: 'paid by the platform out of the price to the node'
            + ' that found it for you; nothing extra for you' }),
        el('dt', { text: 'You pay' }), el('dd', { text: xrp(l.price + fee) + ' from your channel' })),
    confirm, ' ', cancel);
    confirm.focus();
  }

  /**
   * On My wallet (ui/WalletPage), the wallet takes the place of the shell's placeholder panel ("Your channel and
   * purchases", which says no wallet is here: true only without this script); the help panel stays.
   */
  function mount() {
    const placeholder = doc.getElementById('wallet-state');
    if (!placeholder) return null;
    const app = el('div', { id: 'wallet-app', class: 'wallet-app' });
    placeholder.replaceWith(el('div', { id: 'wallet-status', role: 'status', 'aria-live': 'polite' }), app);
    return app;
  }

  function start() {
    const app = mount();
    if (app) walletPage(app).catch((e) => say(doc.getElementById('wallet-status') || app, e.message, false));
    const forms = doc.querySelectorAll('form.buy-listing');
    if (forms.length) enhanceBuy(forms);
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})(globalThis);
