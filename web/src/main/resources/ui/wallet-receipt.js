// fedsearch browser wallet: checks a platform's receipt before the wallet keeps it as proof of a purchase. The hub
// relays the receipt; the wallet does not take the hub's word for it. A receipt (federation's Receipt) is base64url
// of DAG-CBOR {r: fields, s: Ed25519 signature over "fedsearch/receipt/v1\n" ‖ DAG-CBOR(r)}; the fields name the
// platform's node key, the listing CID, the price and the holder (the user's receipt key for that platform).
// Defines FedsearchWalletReceipt; needs xrpl-bundle.js (base58/base32/base64url and Ed25519 from @scure and @noble).
(function (global) {
  'use strict';
  const X = global.FedsearchXrpl;
  const DOMAIN = new TextEncoder().encode('fedsearch/receipt/v1\n'); // core's SigningDomain.RECEIPT
  const MAX_WIRE_CHARS = 2048;
  const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

  /**
   * A strict decoder for the DAG-CBOR the receipt uses: unsigned integers, byte and text strings, maps with text
   * keys, tag 42 (a CID); definite lengths only, bounded depth and size. A map remembers where each value's bytes lie
   * (`spans`), so the signed bytes are checked exactly as they came.
   */
  function decode(bytes) {
    let at = 0;
    const need = (n) => { if (at + n > bytes.length) throw new Error('receipt: truncated'); };
    function head() {
      need(1);
      const b = bytes[at++];
      const major = b >> 5;
      const info = b & 31;
      let n;
      if (info < 24) n = info;
      else if (info === 24) { need(1); n = bytes[at++]; }
      else if (info === 25) { need(2); n = bytes[at] * 256 + bytes[at + 1]; at += 2; }
      else if (info === 26) { need(4); n = ((bytes[at] * 256 + bytes[at + 1]) * 256 + bytes[at + 2]) * 256 + bytes[at + 3]; at += 4; }
      else if (info === 27) {
        need(8);
        let v = 0n;
        for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(bytes[at + i]);
        at += 8;
        if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('receipt: integer too large');
        n = Number(v);
      } else throw new Error('receipt: indefinite or reserved length');
      return [major, n];
    }
    function item(depth) {
      if (depth > 3) throw new Error('receipt: nested too deep');
      const [major, n] = head();
      switch (major) {
        case 0: return n;
        case 2: need(n); at += n; return bytes.slice(at - n, at);
        case 3: need(n); at += n; return new TextDecoder('utf-8', { fatal: true }).decode(bytes.slice(at - n, at));
        case 5: {
          if (n > 16) throw new Error('receipt: too many fields');
          const out = { spans: {}, values: {} };
          for (let i = 0; i < n; i++) {
            const k = item(depth + 1);
            if (typeof k !== 'string' || k in out.values) throw new Error('receipt: bad or repeated key');
            const start = at;
            out.values[k] = item(depth + 1);
            out.spans[k] = [start, at];
          }
          return out;
        }
        case 6: {
          if (n !== 42) throw new Error('receipt: unknown tag ' + n);
          const b = item(depth + 1);
          if (!(b instanceof Uint8Array) || b[0] !== 0) throw new Error('receipt: malformed CID');
          return { cid: b.slice(1) };
        }
        default: throw new Error('receipt: unexpected CBOR type ' + major);
      }
    }
    const v = item(0);
    if (at !== bytes.length) throw new Error('receipt: trailing bytes');
    return v;
  }

  /** The Ed25519 key inside a libp2p peer id (12D3KooW…: identity multihash of the protobuf public key). */
  function peerKey(peerId) {
    const b = X.base58.decode(peerId);
    const prefix = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20];
    if (b.length !== 38 || !prefix.every((x, i) => b[i] === x)) throw new Error('platform is not an Ed25519 peer id');
    return b.slice(6);
  }

  /**
   * Checks `wire` is the receipt of this purchase: signed by the platform's node key (the one its peer id names),
   * for `cid` (base32 CID text) at `price`, naming `receiptKey` (hex) as holder. Returns {sale, at, claim}; throws
   * with the reason otherwise.
   */
  function check(wire, purchase) {
    if (typeof wire !== 'string' || !wire || wire.length > MAX_WIRE_CHARS) throw new Error('receipt missing or too long');
    const bytes = X.base64urlnopad.decode(wire);
    const outer = decode(bytes);
    const keys = Object.keys(outer.values || {});
    if (keys.length !== 2 || !outer.values.r || !(outer.values.s instanceof Uint8Array)) {
      throw new Error('receipt: not {r, s}');
    }
    const r = outer.values.r.values || {};
    if (r.v !== 1 || Object.keys(r).length !== 11) throw new Error('receipt: unknown version, or no holder');
    const [from, to] = outer.spans.r;
    if (!X.ed25519.verify(outer.values.s, new Uint8Array([...DOMAIN, ...bytes.slice(from, to)]), r.platform)) {
      throw new Error('receipt: the platform\'s signature does not verify');
    }
    if (!same(r.platform, peerKey(purchase.platform))) throw new Error('receipt: signed by another node than the platform');
    if (!/^b[a-z2-7]+$/.test(String(purchase.cid))) throw new Error('receipt: the listing CID is not base32');
    if (!r.cid || !same(r.cid.cid, X.base32nopad.decode(String(purchase.cid).slice(1).toUpperCase()))) {
      throw new Error('receipt: for another work');
    }
    if (r.price !== purchase.price) throw new Error('receipt: for another price');
    if (!(r.holder instanceof Uint8Array) || hex(r.holder) !== String(purchase.receipt_key).toLowerCase()) {
      throw new Error('receipt: names another holder than your receipt key');
    }
    return { sale: r.sale, at: r.at, claim: r.claim };
  }

  global.FedsearchWalletReceipt = Object.freeze({ check, decode });
})(globalThis);
