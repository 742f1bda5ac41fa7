// fedsearch browser wallet: talking to the hub (the node these pages came from), per federation/HUB-API.md.
// Every answer is checked before the wallet believes it: acks and credit notes must be signed by the hub key the
// channel was opened with, for this request and channel, with figures that add up. A purchase is stored as pending,
// with its exact body and any new claim, before it is sent; an interrupted one is recovered by asking the hub for
// its answer (GET /api/hub/purchases/{id}) and, if the hub never journaled it, by sending the same body again.
(function (global) {
  'use strict';
  const W = global.FedsearchWalletCore;
  const S = global.FedsearchWalletStore;

  /**
   * Status of a transaction signed here: the page cannot reach a ledger (connect-src 'self'), so it is kept, in the
   * CLI wallet's shape (kind, hash, blob, status "kept…", drops), for `fedsearch wallet submit` after an export.
   */
  const KEPT = 'kept (the browser has no ledger connection: export the wallet and run `fedsearch wallet submit`';

  /** An error the page shows as is; `code` is the hub's error code when it gave one. */
  class WalletError extends Error {
    constructor(message, code, extra) {
      super(message);
      this.code = code || 'wallet';
      this.extra = extra || {};
    }
  }

  async function json(res) {
    try { return await res.json(); } catch (e) { return {}; }
  }

  async function terms() {
    const res = await fetch('/api/hub', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const body = await json(res);
    if (!res.ok || !body.hub) {
      const e = body.error || {};
      throw new WalletError(e.message || 'this node is not a payment hub', e.code || 'hub_disabled');
    }
    return body;
  }

  /** Signs the PaymentChannelCreate to the hub's account; the hub receives it with the first purchase. */
  async function openChannel(record, amountDrops) {
    const st = record.state;
    if (st.channel) throw new WalletError('this wallet already has channel ' + st.channel.id);
    const t = await terms();
    const settleDelay = Math.max(t.min_settle_delay_s || 0, 86400);
    const caps = t.channel_caps || {};
    if (!caps.ledger && caps.provisional_channel_cap_drops && amountDrops > caps.provisional_channel_cap_drops) {
      throw new WalletError('this hub accepts channels of at most ' + caps.provisional_channel_cap_drops
          + ' drops while they are not on a ledger', 'over_cap');
    }
    const seq = st.next_sequence;
    const c = await S.withKey(record, async (key) => W.channelCreate(key, t.account, amountDrops, settleDelay, seq));
    st.channel = { id: c.id, destination: t.account, amount: c.amount, settle_delay: settleDelay, sequence: seq,
      create_blob: c.blob, create_hash: c.hash, on_ledger: false, hub_has_create: false };
    st.hub = { url: global.location ? global.location.origin : '', account: t.account, peer_id: t.peer_id,
      public_key: t.public_key, fee_bps: t.fee_bps, fee_drops: t.fee_drops };
    st.next_sequence = seq + 1;
    st.transactions.push({ kind: 'create', hash: c.hash, blob: c.blob, drops: 0, status: KEPT
        + (caps.ledger ? ')' : '; without a ledger the hub receives it with the first purchase)') });
    st.opened_at = new Date().toISOString();
    await S.save(record);
    return st.channel;
  }

  /** Signs a PaymentChannelFund (top up) or the closing claim; kept in the wallet's transactions. */
  async function channelTx(record, kind, amountDrops) {
    const st = record.state;
    if (!st.channel) throw new WalletError('this wallet has no channel yet');
    const seq = st.next_sequence;
    const s = await S.withKey(record, async (key) => (kind === 'fund'
      ? W.channelFund(key, st.channel.id, amountDrops, seq) : W.channelClose(key, st.channel.id, seq)));
    st.next_sequence = seq + 1;
    st.transactions.push({ kind, hash: s.hash, blob: s.blob, drops: kind === 'fund' ? amountDrops : 0,
      status: KEPT + ')' });
    if (kind === 'close') st.close_requested_at = new Date().toISOString();
    await S.save(record);
    return s;
  }

  /**
   * Buys `listing` ({cid, platform, price, token}) through the hub: the fee `shownFee` the user confirmed must still
   * be the hub's. Returns the recorded receipt or credit note; throws WalletError for a refusal.
   */
  async function buy(record, listing, shownFee) {
    const st = record.state;
    if (!st.channel) throw new WalletError('open a channel to this hub first (My wallet)', 'no_channel');
    if (st.pending) await recover(record);
    const price = W.drops(listing.price, 'price');
    const cost = price + shownFee;
    let plan = W.claimFor(st, cost);
    const requestId = W.requestId();
    const receiptKey = await S.withKey(record, async (key, entropy) => W.receiptKey(entropy, listing.platform));
    const body = { request_id: requestId, channel: st.channel.id, cid: listing.cid, platform: listing.platform,
      price, token: listing.token, hub_fee: shownFee, receipt_key: receiptKey };
    for (let attempt = 0; attempt < 3; attempt++) {
      if (plan.refused) throw new WalletError(plan.message, plan.refused);
      if (plan.sign) {
        const sig = await S.withKey(record, async (key) => W.signClaim(key, st.channel.id, plan.sign));
        W.recordSigned(st, plan.sign, sig);
        body.claim = { amount: plan.sign, signature: sig };
      } else if (plan.claim) {
        body.claim = plan.claim;
      } else {
        delete body.claim;
      }
      if (!st.channel.hub_has_create) body.channel_create = st.channel.create_blob;
      st.pending = { request_id: requestId, body: JSON.parse(JSON.stringify(body)), at: new Date().toISOString(),
        listing: { price, hub_fee: shownFee } };
      await S.save(record); // the claim is stored before it leaves the browser
      const answer = await send(body);
      if (answer.status === 200) return settle(record, answer.body);
      const e = answer.body.error || {};
      if (e.code === 'over_balance' && e.needed_claim) {
        let needed;
        try {
          needed = W.neededClaim(st, cost, e.needed_claim);
        } catch (overstated) {
          st.pending = null;
          await S.save(record);
          throw new WalletError(overstated.message, 'hub_overstates');
        }
        plan = W.claimFor(st, cost, needed);
        continue;
      }
      if (e.code === 'unknown_channel' && st.channel.hub_has_create) {
        st.channel.hub_has_create = false;
        continue;
      }
      if (undecided(answer)) {
        throw new WalletError('the hub failed (' + (e.message || answer.status) + '); the purchase stays pending and'
            + ' is asked about again on the next visit', 'pending');
      }
      st.pending = null;
      await S.save(record);
      throw new WalletError(e.message || ('the hub answered ' + answer.status), e.code || 'http_' + answer.status,
          e);
    }
    st.pending = null;
    await S.save(record);
    throw new WalletError('the hub kept asking for a higher claim; nothing was bought', 'over_balance');
  }

  /**
   * A 5xx may come after the hub journaled the request (it is then decided later: delivered or credited), so the
   * wallet keeps it pending and asks; only 502 platform_unreachable is a refusal with nothing journaled.
   */
  function undecided(answer) {
    return answer.status >= 500 && !(answer.status === 502 && (answer.body.error || {}).code === 'platform_unreachable');
  }

  async function send(body) {
    let lastError;
    for (let i = 0; i < 3; i++) {
      try {
        const res = await fetch('/api/hub/purchases', { method: 'POST', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
        return { status: res.status, body: await json(res) };
      } catch (e) { // the request may or may not have reached the hub: ask it, then send the same body again
        lastError = e;
        const known = await status(body.request_id, body.channel).catch(() => null);
        if (known && known.status === 200 && known.body.status !== 'pending') return known;
      }
    }
    throw new WalletError('the hub could not be reached (' + (lastError && lastError.message)
        + '); the purchase stays pending and is asked about again on the next visit', 'unreachable');
  }

  async function status(requestId, channel) {
    const res = await fetch('/api/hub/purchases/' + encodeURIComponent(requestId) + '?channel='
        + encodeURIComponent(channel), { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    return { status: res.status, body: await json(res) };
  }

  /**
   * How far the channel's value has reached the ledger (GET /api/hub/channels/{id}/settlement), or null when the hub
   * cannot say (not known there yet, or unreachable): the page then shows purchases as accepted only.
   */
  async function settlement(channelId) {
    try {
      const res = await fetch('/api/hub/channels/' + encodeURIComponent(channelId) + '/settlement',
          { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) return null;
      const body = await json(res);
      return Array.isArray(body.claims) ? body : null;
    } catch (e) { return null; }
  }

  /**
   * The settlement state of the first `cumulative` drops of the channel (a purchase's ack names the cumulative
   * `consumed` after it): settled (in a validated ledger; hash of the validated claim), pending_settlement (a claim
   * covering it is signed and queued or submitted; its hash) or accepted. The same rule as SettlementStatus.java.
   */
  function settlementOf(s, cumulative) {
    if (!s) return { state: 'accepted', hash: null };
    if (s.ledger && cumulative <= s.settled) {
      let hash = null;
      for (const c of s.claims) if (c.status === 'validated' && c.balance >= cumulative) hash = c.hash;
      return { state: 'settled', hash };
    }
    for (const c of s.claims) {
      if ((c.status === 'pending' || c.status === 'submitted') && c.balance >= cumulative) {
        return { state: 'pending_settlement', hash: c.hash, submitted: c.status === 'submitted' };
      }
    }
    return { state: 'accepted', hash: null };
  }

  /** Records the hub's 200 answer to the pending request after checking it. */
  async function settle(record, a) {
    const st = record.state;
    const p = st.pending;
    const q = p.body;
    if (a.status === 'pending') throw new WalletError('the hub is still deciding this purchase', 'pending');
    const kind = a.status === 'delivered' ? 'hub_ack' : a.status === 'credited' ? 'credit_note' : null;
    if (!kind) throw new WalletError('the hub answered an unknown status', 'bad_answer');
    const stmt = W.checkStatement(a[kind], kind, st.hub.public_key, q.request_id, st.channel.id, st.signed_max,
        st.needs_sync);
    if (stmt.cid !== q.cid || stmt.platform !== q.platform || stmt.cost !== q.price + q.hub_fee) {
      throw new WalletError('the hub\'s ' + kind + ' is for another purchase', 'bad_answer');
    }
    try {
      W.checkFigures(st, stmt, kind, q.price + q.hub_fee);
    } catch (e) {
      throw new WalletError(e.message + '. Nothing was recorded; the purchase stays pending', 'hub_overstates');
    }
    W.raiseFromHub(st, stmt);
    st.channel.hub_has_create = true;
    const at = new Date(stmt.at).toISOString();
    let rec;
    if (kind === 'hub_ack') {
      if (typeof a.receipt !== 'string' || !a.receipt) throw new WalletError('delivered without a receipt', 'bad_answer');
      // The hub's signed ack already binds the money; the receipt is the user's proof to the platform, checked
      // here rather than taken from the hub. One that fails is kept, marked, and shown (not silently dropped).
      let check = 'ok';
      try { global.FedsearchWalletReceipt.check(a.receipt, q); } catch (e) { check = e.message; }
      if (st.receipts.some((r) => r.receipt === a.receipt)) {
        check = 'receipt: the same receipt as an earlier purchase (replayed by the hub)';
      }
      rec = { request_id: q.request_id, cid: q.cid, platform: q.platform, price: q.price, hub_fee: q.hub_fee,
        receipt_key: q.receipt_key, receipt: a.receipt, receipt_check: check, hub_ack: stmt, at };
      st.receipts.push(rec);
    } else {
      const reason = a.reason || {};
      rec = { request_id: q.request_id, cid: q.cid, platform: q.platform, cost: stmt.cost,
        reason_code: reason.code, reason_message: reason.message, credit_note: stmt, at };
      st.credit_notes.push(rec);
    }
    st.pending = null;
    await S.save(record);
    return { kind, record: rec };
  }

  /** Resolves a purchase left pending (reload, crash, lost answer): the hub's answer, else the same body again. */
  async function recover(record) {
    const p = record.state.pending;
    if (!p) return null;
    const known = await status(p.request_id, p.body.channel);
    if (known.status === 200 && known.body.status !== 'pending') return settle(record, known.body);
    if (known.status === 200) throw new WalletError('your last purchase is still being decided by the hub', 'pending');
    const again = await send(p.body);
    if (again.status === 200) return settle(record, again.body);
    if (undecided(again)) throw new WalletError('the hub failed again; your last purchase stays pending', 'pending');
    record.state.pending = null; // refused: nothing was journaled, the claim was not taken
    await S.save(record);
    return null;
  }

  global.FedsearchWalletHub = Object.freeze({ WalletError, terms, openChannel, channelTx, buy, recover, settlement,
    settlementOf });
})(globalThis);
