// fedsearch browser wallet, the part without a page: keys, XRPL signing, the purchase rules and the export file.
// Plain script (no modules, no eval: the pages' CSP is script-src 'self'); it needs xrpl-bundle.js loaded first and
// defines one global, FedsearchWalletCore. It runs the same in Node (the unit tests in web/src/test/js/wallet).
//
// The key is the XRPL family seed: 16 bytes of entropy. From it come the account key pair (ripple-keypairs, ed25519:
// private key = SHA-512Half(entropy)), the address, and the per-platform receipt keys (HKDF-SHA256, as the CLI
// wallet's ReceiptKeys). The entropy leaves this file only encrypted (seal/open with a caller's AES key, or the export
// file under a passphrase).
(function (global) {
  'use strict';
  const X = global.FedsearchXrpl;
  if (!X) throw new Error('xrpl-bundle.js must be loaded before wallet-core.js');
  const subtle = global.crypto.subtle;
  const enc = new TextEncoder();

  /** Fee of a transaction signed with no ledger to ask (the CLI wallet's EMBEDDED_FEE_DROPS). */
  const EMBEDDED_FEE_DROPS = 12;
  const EXPORT_FORMAT = 'fedsearch-wallet-export';
  const SCRYPT = { N: 1 << 15, r: 8, p: 1 };
  const RECEIPT_SALT = enc.encode('fedsearch-receipt-key-v1');
  /** Largest amount of drops there can be (100 billion XRP): every amount is checked against it. */
  const MAX_DROPS = 100000000000000000n;

  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const unhex = (h) => {
    if (typeof h !== 'string' || h.length % 2 || /[^0-9a-fA-F]/.test(h)) throw new Error('not hex');
    const out = new Uint8Array(h.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
    return out;
  };
  const b64 = (bytes) => { let s = ''; bytes.forEach((b) => { s += String.fromCharCode(b); }); return btoa(s); };
  const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const concat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  };
  const sha512Half = (bytes) => X.sha512(bytes).slice(0, 32);

  /** A whole number of drops in [0, 10^17], as a Number (safe: 10^17 < 2^63 but checked as BigInt first). */
  function drops(v, what) {
    let b;
    try { b = BigInt(v); } catch (e) { throw new Error(what + ': not a whole number of drops'); }
    if (b < 0n || b > MAX_DROPS) throw new Error(what + ': out of range');
    if (b > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(what + ': too large for this wallet');
    return Number(b);
  }

  /** The account key of 16 bytes of seed entropy: {address, publicKey, privateKey} (hex, ED-prefixed). */
  function keyOf(entropy) {
    if (!(entropy instanceof Uint8Array) || entropy.length !== 16) throw new Error('seed entropy must be 16 bytes');
    const pair = X.deriveKeypair(X.encodeSeed(entropy, 'ed25519'));
    return { address: X.deriveAddress(pair.publicKey), publicKey: pair.publicKey, privateKey: pair.privateKey };
  }

  function newEntropy() {
    return global.crypto.getRandomValues(new Uint8Array(16));
  }

  /** The user's receipt key for a platform (hex Ed25519 public key), exactly as the CLI wallet derives it. */
  function receiptKey(entropy, platform) {
    if (typeof platform !== 'string' || platform.length < 1 || platform.length > 128) {
      throw new Error('platform peer id must be 1..128 characters');
    }
    const seed = X.hkdf(X.sha256, entropy, RECEIPT_SALT, enc.encode(platform), 32);
    const pub = X.ed25519.getPublicKey(seed);
    seed.fill(0);
    return hex(pub);
  }

  /** The ledger's channel id: SHA-512Half(0x0078 ‖ source AccountID ‖ destination AccountID ‖ sequence). */
  function channelId(source, destination, sequence) {
    const seq = new Uint8Array(4);
    new DataView(seq.buffer).setUint32(0, sequence);
    return hex(sha512Half(concat(new Uint8Array([0x00, 0x78]), X.decodeAccountID(source),
        X.decodeAccountID(destination), seq))).toUpperCase();
  }

  /** Signs a transaction (JSON in the ledger's field names) with the account key: {blob, hash, tx}. */
  function signTx(key, tx) {
    const unsigned = Object.assign({}, tx, { SigningPubKey: key.publicKey });
    const signed = Object.assign({}, unsigned, {
      TxnSignature: X.sign(X.encodeForSigning(unsigned), key.privateKey),
    });
    const blob = X.encode(signed);
    const hash = hex(sha512Half(concat(new Uint8Array([0x54, 0x58, 0x4e, 0x00]), unhex(blob)))).toUpperCase();
    return { blob, hash, tx: signed };
  }

  /**
   * The PaymentChannelCreate to the hub's account: {id, blob, hash, amount, settleDelay, sequence}. Without a
   * ledger (embedded mode) the sequence is the wallet's own counter and no LastLedgerSequence is set, as the CLI does.
   */
  function channelCreate(key, hubAccount, amount, settleDelay, sequence) {
    if (!X.isValidClassicAddress(hubAccount)) throw new Error('the hub account is not an XRPL address');
    const a = drops(amount, 'channel amount');
    if (a <= 0) throw new Error('channel amount must be positive');
    const tx = {
      TransactionType: 'PaymentChannelCreate', Account: key.address, Destination: hubAccount,
      Amount: String(a), SettleDelay: settleDelay, PublicKey: key.publicKey, Fee: String(EMBEDDED_FEE_DROPS),
      Sequence: sequence, Flags: 0,
    };
    const s = signTx(key, tx);
    return { id: channelId(key.address, hubAccount, sequence), blob: s.blob, hash: s.hash, amount: a,
      settleDelay, sequence };
  }

  /** The source's closing PaymentChannelClaim (tfClose = 0x00020000) over the channel. */
  function channelClose(key, channel, sequence) {
    return signTx(key, { TransactionType: 'PaymentChannelClaim', Account: key.address, Channel: channel,
      Fee: String(EMBEDDED_FEE_DROPS), Sequence: sequence, Flags: 0x00020000 });
  }

  /** The PaymentChannelFund adding drops to the channel. */
  function channelFund(key, channel, amount, sequence) {
    return signTx(key, { TransactionType: 'PaymentChannelFund', Account: key.address, Channel: channel,
      Amount: String(drops(amount, 'top-up')), Fee: String(EMBEDDED_FEE_DROPS), Sequence: sequence, Flags: 0 });
  }

  /** The ledger's claim signature for `amount` drops in total over `channel` (upper-case hex). */
  function signClaim(key, channel, amount) {
    return X.sign(X.encodeForSigningClaim({ channel, amount: String(drops(amount, 'claim')) }), key.privateKey)
        .toUpperCase();
  }

  /**
   * The hub's fee on a price: fee_drops + price × fee_bps / 10000 (integer division), as HUB-API.md states; none on
   * a listing of the hub node itself (`platform` equal to its `peer_id`), which it sells without forwarding.
   */
  function hubFee(hub, price, platform) {
    const p = BigInt(drops(price, 'price'));
    if (platform !== undefined && hub.peer_id && platform === hub.peer_id) return 0;
    return drops(BigInt(drops(hub.fee_drops, 'fee_drops')) + (p * BigInt(drops(hub.fee_bps, 'fee_bps'))) / 10000n,
        'hub fee');
  }

  /** A fresh state in the CLI wallet's state.json shape (snake_case), so export files are the same. */
  function newState() {
    return { v: 1, signed_max: 0, signature_amount: 0, authorised: 0, consumed: 0, needs_sync: false,
      next_sequence: 1, receipts: [], credit_notes: [], transactions: [], claims: [] };
  }

  /**
   * What a purchase of `cost` drops needs from the wallet: {claim: null} when the hub's stated credit covers it, else
   * the cumulative amount to send. The amount only moves up: never at or below an amount already signed, unless the
   * very signature held for that amount is re-sent. `needed` (the hub's `needed_claim`) raises the floor.
   */
  function claimFor(state, cost, needed) {
    const need = Math.max(state.consumed + cost, needed || 0);
    // After an import the hub may hold claims this copy never saw, and a wallet that was ever exported or imported
    // (`shared`) may have a copy spending the same channel: ask with no claim first, and let the hub's answer
    // (delivered from credit, or over_balance naming what it needs, above every claim it holds) set the floor.
    if (!needed && (state.needs_sync || state.shared)) return { claim: null, amount: need, sync: true };
    if (!needed && state.authorised >= need) return { claim: null, amount: state.authorised };
    if (state.signed_signature && state.signature_amount >= need && !state.needs_sync) {
      return { claim: { amount: state.signature_amount, signature: state.signed_signature }, reuse: true,
        amount: state.signature_amount };
    }
    const amount = Math.max(need, state.signed_max + 1);
    if (!state.channel || amount > state.channel.amount) {
      return { refused: 'top_up', amount, message: 'the channel holds ' + (state.channel ? state.channel.amount : 0)
          + ' drops; this purchase needs a claim of ' + amount + ': top up the channel first' };
    }
    return { claim: null, sign: amount, amount };
  }

  /**
   * Whether the hub's over_balance figure can be believed: outside a sync it can need at most this purchase above the
   * best claim it could hold from this wallet (more is value it was never owed); after an import (or in a `shared`
   * wallet) this copy cannot
   * know what the other spent, so it takes the hub's figure up to the channel amount (the other copy's receipts
   * show whether it was true). Returns the amount to sign, or throws.
   */
  function neededClaim(state, cost, needed) {
    const n = drops(needed, 'needed_claim');
    const ceiling = state.needs_sync || state.shared ? state.channel.amount
      : Math.max(state.signed_max, state.authorised) + cost;
    if (n > ceiling) {
      throw new Error('the hub asks for a cumulative claim of ' + n + ' drops; this wallet signed at most '
          + state.signed_max + ' and the purchase costs ' + cost + ': nothing more was signed');
    }
    return n;
  }

  /** Records a claim just signed (the amount must be above every one signed before). */
  function recordSigned(state, amount, signature) {
    if (amount <= state.signed_max) throw new Error('refusing to sign ' + amount + ': ' + state.signed_max + ' signed');
    state.signed_max = amount;
    state.signature_amount = amount;
    state.signed_signature = signature;
    state.claims.push({ amount, signature });
  }

  /** Raises the hub's figures from a statement it signed; never lowers one. */
  function raiseFromHub(state, statement) {
    const a = drops(statement.authorised, 'authorised');
    const c = drops(statement.consumed, 'consumed');
    state.authorised = Math.max(state.authorised, a);
    state.consumed = Math.max(state.consumed, c);
    state.signed_max = Math.max(state.signed_max, a);
    state.needs_sync = false;
  }

  function aad(address) {
    return enc.encode('fedsearch-wallet-export-v1:ED25519:' + address);
  }

  async function scryptKey(passphrase, salt, n, r, p) {
    const raw = await X.scryptAsync(enc.encode(passphrase), salt, { N: n, r, p, dkLen: 32 });
    const k = await subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    raw.fill(0);
    return k;
  }

  /** The export file (the CLI wallet's WalletExport format, v1) as a JSON string. */
  async function exportFile(entropy, state, passphrase) {
    if (typeof passphrase !== 'string' || passphrase.length < 8) {
      throw new Error('the export passphrase needs at least 8 characters');
    }
    const address = keyOf(entropy).address;
    const salt = global.crypto.getRandomValues(new Uint8Array(16));
    const iv = global.crypto.getRandomValues(new Uint8Array(12));
    const k = await scryptKey(passphrase, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
    const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(address) }, k, entropy));
    return JSON.stringify({ format: EXPORT_FORMAT, v: 1, exported_at: new Date().toISOString(), address,
      key_type: 'ED25519', key: { kdf: 'scrypt', n: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: b64(salt),
        cipher: 'AES-256-GCM', ciphertext: b64(concat(iv, ct)) }, state }, null, 2);
  }

  /** Reads an export file: {entropy, state}; the state is marked needs_sync (a stale file may predate claims). */
  async function importFile(text, passphrase) {
    if (typeof text !== 'string' || text.length > (64 << 20)) throw new Error('not a wallet export file');
    let o;
    try { o = JSON.parse(text); } catch (e) { throw new Error('not a wallet export file (not JSON)'); }
    if (!o || o.format !== EXPORT_FORMAT || o.v !== 1) throw new Error('not a fedsearch wallet export (v1)');
    if (o.key_type !== 'ED25519') throw new Error('this browser wallet holds ed25519 keys only; import it with the CLI');
    const k = o.key || {};
    if (k.kdf !== 'scrypt' || k.cipher !== 'AES-256-GCM') throw new Error('export file uses an unknown kdf or cipher');
    const { n, r, p } = k;
    // Bounds on the work a hostile file could ask for, as the CLI's (memory is 128·n·r bytes), and at most 256 MiB
    // of it: a browser tab would otherwise be made to allocate up to 2 GiB (the CLI's own files use 32 MiB).
    if (!Number.isInteger(n) || n < 2 || n > (1 << 20) || (n & (n - 1)) !== 0 || !Number.isInteger(r) || r < 1
        || r > 16 || !Number.isInteger(p) || p < 1 || p > 4 || n * r > (1 << 21)) {
      throw new Error('export file asks for scrypt parameters out of bounds');
    }
    let entropy;
    try {
      const blob = unb64(k.ciphertext);
      const key = await scryptKey(passphrase, unb64(k.salt), n, r, p);
      entropy = new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: blob.slice(0, 12),
        additionalData: aad(o.address) }, key, blob.slice(12)));
    } catch (e) {
      throw new Error('wrong passphrase, or the export file was altered');
    }
    if (keyOf(entropy).address !== o.address) throw new Error('export file\'s key does not match its address');
    const state = Object.assign(newState(), o.state || {});
    state.needs_sync = true;
    state.shared = true;
    return { entropy, state };
  }

  /** Folds an imported state into the current one of the same wallet: every money field takes the higher value. */
  function merge(into, other) {
    if (into.channel && other.channel && into.channel.id !== other.channel.id) {
      throw new Error('this wallet pays channel ' + into.channel.id + ', the file channel ' + other.channel.id);
    }
    if ((other.signature_amount || 0) > into.signature_amount) {
      into.signature_amount = other.signature_amount;
      into.signed_signature = other.signed_signature;
    }
    for (const f of ['signed_max', 'authorised', 'consumed', 'next_sequence']) {
      into[f] = Math.max(into[f] || 0, other[f] || 0);
    }
    if (!into.channel) { into.channel = other.channel; into.hub = other.hub; }
    const seen = new Set(into.receipts.map((r) => r.request_id).concat(into.credit_notes.map((c) => c.request_id)));
    (other.receipts || []).filter((r) => !seen.has(r.request_id)).forEach((r) => into.receipts.push(r));
    (other.credit_notes || []).filter((c) => !seen.has(c.request_id)).forEach((c) => into.credit_notes.push(c));
    const amounts = new Set(into.claims.map((c) => c.amount));
    (other.claims || []).filter((c) => !amounts.has(c.amount)).forEach((c) => into.claims.push(c));
    into.claims.sort((a, b) => a.amount - b.amount);
    const txs = new Set(into.transactions.map((t) => t.hash));
    (other.transactions || []).filter((t) => !txs.has(t.hash)).forEach((t) => into.transactions.push(t));
    into.needs_sync = true;
    return into;
  }

  /** CBOR head: major type and argument, shortest form (DAG-CBOR's canonical rule). */
  function cborHead(major, n) {
    if (n < 24) return [major << 5 | n];
    if (n < 0x100) return [major << 5 | 24, n];
    if (n < 0x10000) return [major << 5 | 25, n >> 8, n & 0xff];
    if (n < 0x100000000) return [major << 5 | 26, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
    const b = BigInt(n);
    const out = [major << 5 | 27];
    for (let i = 7; i >= 0; i--) out.push(Number((b >> BigInt(i * 8)) & 0xffn));
    return out;
  }

  /** Canonical DAG-CBOR of a flat map of text and unsigned integers (keys by length, then bytes). */
  function dagCbor(map) {
    const item = (v) => {
      if (typeof v === 'string') { const t = enc.encode(v); return concat(new Uint8Array(cborHead(3, t.length)), t); }
      if (Number.isSafeInteger(v) && v >= 0) return new Uint8Array(cborHead(0, v));
      throw new Error('statement field is neither text nor an unsigned integer');
    };
    const order = (a, b) => {
      if (a[1].length !== b[1].length) return a[1].length - b[1].length;
      for (let i = 0; i < a[1].length; i++) if (a[1][i] !== b[1][i]) return a[1][i] - b[1][i];
      return 0;
    };
    const keys = Object.keys(map).map((k) => [k, enc.encode(k)]).sort(order);
    return concat(new Uint8Array(cborHead(5, keys.length)), ...keys.flatMap(([k]) => [item(k), item(map[k])]));
  }

  // The SigningDomain tags (core's sign.SigningDomain): "fedsearch/<purpose>/v<n>\n" before the signed bytes.
  const DOMAINS = { hub_ack: 'fedsearch/hub-ack/v1\n', credit_note: 'fedsearch/credit-note/v1\n' };

  /**
   * Checks a hub ack or credit note before the wallet believes a figure in it: signed by the hub this channel pays
   * (the key GET /api/hub gave when the channel was opened), over this request and channel, credit = authorised −
   * consumed, and no more authorised than this wallet ever signed. Throws with the reason; returns the statement.
   */
  function checkStatement(st, kind, hubPublicKey, requestId, channel, signedMax, needsSync) {
    if (!st || st.kind !== kind || !DOMAINS[kind]) throw new Error('the hub sent no ' + kind);
    if (String(st.public_key).toLowerCase() !== String(hubPublicKey).toLowerCase()) {
      throw new Error('the ' + kind + ' is not signed by this hub\'s key');
    }
    const fields = { request_id: st.request_id, channel: st.channel, authorised: st.authorised,
      consumed: st.consumed, credit: st.credit, cid: st.cid, platform: st.platform, cost: st.cost, at: st.at };
    const ok = X.ed25519.verify(unhex(st.signature), concat(enc.encode(DOMAINS[kind]), dagCbor(fields)),
        unhex(st.public_key));
    if (!ok) throw new Error('the ' + kind + '\'s signature does not verify');
    if (st.request_id !== requestId || String(st.channel).toUpperCase() !== String(channel).toUpperCase()) {
      throw new Error('the ' + kind + ' is for another request or channel');
    }
    if (st.credit !== st.authorised - st.consumed || st.consumed > st.authorised) {
      throw new Error('the ' + kind + '\'s figures do not add up');
    }
    if (!needsSync && st.authorised > signedMax) {
      throw new Error('the ' + kind + ' says ' + st.authorised + ' drops authorised; this wallet signed ' + signedMax);
    }
    return st;
  }

  /**
   * What a verified statement may claim about this wallet, as the CLI wallet checks it: no more authorised than the
   * channel holds, and (outside a sync after an import or export) no more consumed than this wallet's own purchases
   * account for, plus this one if it was delivered; a `shared` wallet (another copy may spend the channel) takes the
   * hub's figure, which can never let the hub take more than the highest claim some copy signed. Throws `hub_overstates` otherwise: nothing is recorded, the
   * signed statement itself is the proof.
   */
  function checkFigures(state, st, kind, cost) {
    if (st.authorised > state.channel.amount) {
      throw new Error('hub_overstates: the ' + kind + ' says ' + st.authorised + ' drops authorised; the channel holds '
          + state.channel.amount);
    }
    const most = state.consumed + (kind === 'hub_ack' ? cost : 0);
    if (!state.needs_sync && !state.shared && st.consumed > most) {
      throw new Error('hub_overstates: the ' + kind + ' says ' + st.consumed + ' drops consumed; this wallet\'s'
          + ' purchases account for ' + most);
    }
    return st;
  }

  /** 32 lower-case hex of fresh randomness: a purchase's idempotency key. */
  function requestId() {
    return hex(global.crypto.getRandomValues(new Uint8Array(16)));
  }

  global.FedsearchWalletCore = Object.freeze({
    EMBEDDED_FEE_DROPS, hex, unhex, drops, keyOf, newEntropy, receiptKey, channelId, channelCreate, channelClose,
    channelFund, signClaim, hubFee, newState, claimFor, neededClaim, recordSigned, raiseFromHub, exportFile, importFile, merge,
    requestId, dagCbor, checkStatement, checkFigures,
  });
})(globalThis);
