// Unit tests of ui/wallet-core.js with the committed ui/xrpl-bundle.js, run by WalletScriptTest (or by hand:
// node --test --disallow-code-generation-from-strings web/src/test/js/wallet/). Code generation from strings is
// refused, as the pages' CSP refuses it. Cross-checks go to xrpl.js (federation's interop install) where it exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import vm from 'node:vm';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const ui = path.join(here, '../../../main/resources/ui');
vm.runInThisContext(fs.readFileSync(path.join(ui, 'xrpl-bundle.js'), 'utf8'));
vm.runInThisContext(fs.readFileSync(path.join(ui, 'wallet-core.js'), 'utf8'));
const W = globalThis.FedsearchWalletCore;
const xrpl = createRequire(path.join(here, '../../../../../federation/payments/src/test/js/xrpl/package.json'))('xrpl');

const ENTROPY = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
const HUB = 'rLFtVprxUEfsH54eCWKsZrEQzMDsx1wqso';

test('the account key is xrpl.js\'s key for the same family seed', () => {
  const k = W.keyOf(ENTROPY);
  const w = xrpl.Wallet.fromSeed(xrpl.encodeSeed(ENTROPY, 'ed25519'));
  assert.equal(k.address, w.classicAddress);
  assert.equal(k.publicKey, w.publicKey);
});

test('channel id is the ledger\'s (xrpl.js hashPaymentChannel)', () => {
  assert.equal(W.channelId('rDx69ebzbowuqztksVDmZXjizTd12BVr4x', HUB, 82),
      xrpl.hashes.hashPaymentChannel('rDx69ebzbowuqztksVDmZXjizTd12BVr4x', HUB, 82));
});

test('the signed create decodes with xrpl.js, its signature verifies, its hash is the ledger\'s', () => {
  const k = W.keyOf(ENTROPY);
  const c = W.channelCreate(k, HUB, 5000000, 86400, 1);
  const tx = xrpl.decode(c.blob);
  assert.equal(tx.TransactionType, 'PaymentChannelCreate');
  assert.equal(tx.Destination, HUB);
  assert.equal(tx.Amount, '5000000');
  assert.equal(tx.PublicKey, k.publicKey);
  assert.ok(xrpl.verifySignature(c.blob));
  assert.equal(c.hash, xrpl.hashes.hashSignedTx(c.blob));
  assert.equal(c.id, xrpl.hashes.hashPaymentChannel(k.address, HUB, 1));
});

test('a claim verifies with xrpl.js verifyPaymentChannelClaim and not for another amount', () => {
  const k = W.keyOf(ENTROPY);
  const ch = W.channelId(k.address, HUB, 1);
  const sig = W.signClaim(k, ch, 1234);
  assert.ok(xrpl.verifyPaymentChannelClaim(ch, xrpl.dropsToXrp(1234).toString(), sig, k.publicKey));
  assert.ok(!xrpl.verifyPaymentChannelClaim(ch, xrpl.dropsToXrp(1235).toString(), sig, k.publicKey));
});

test('after an import the first request carries no claim; the hub\'s needed_claim is believed within bounds', () => {
  const s = W.newState();
  s.channel = { id: 'AA'.repeat(32), amount: 10000 };
  W.recordSigned(s, 300, 'SIG300');
  W.raiseFromHub(s, { authorised: 300, consumed: 300 });
  s.needs_sync = true;                                    // imported: another copy may have signed more
  const first = W.claimFor(s, 200);
  assert.equal(first.claim, null);
  assert.equal(first.sign, undefined);                    // nothing signed until the hub says what it holds
  assert.equal(W.neededClaim(s, 200, 900), 900);          // in sync, up to the channel amount
  assert.equal(W.claimFor(s, 200, 900).sign, 900);
  assert.throws(() => W.neededClaim(s, 200, 10001), /nothing more was signed/);
  s.needs_sync = false;                                   // outside a sync: at most this purchase above the best claim
  assert.equal(W.neededClaim(s, 200, 500), 500);
  assert.throws(() => W.neededClaim(s, 200, 501), /asks for a cumulative claim of 501/);
  s.shared = true;                                        // a copy elsewhere may have spent: ask first, every time
  assert.equal(W.claimFor(s, 200).claim, null);
  assert.equal(W.claimFor(s, 200).sign, undefined);
  assert.equal(W.neededClaim(s, 200, 900), 900);
});

test('a statement may not say more was authorised than the channel holds, nor more consumed than was bought', () => {
  const s = W.newState();
  s.channel = { id: 'AA'.repeat(32), amount: 10000 };
  s.consumed = 300;
  assert.ok(W.checkFigures(s, { authorised: 600, consumed: 500 }, 'hub_ack', 200));
  assert.throws(() => W.checkFigures(s, { authorised: 600, consumed: 501 }, 'hub_ack', 200), /hub_overstates/);
  assert.throws(() => W.checkFigures(s, { authorised: 600, consumed: 301 }, 'credit_note', 200), /hub_overstates/);
  assert.throws(() => W.checkFigures(s, { authorised: 10001, consumed: 300 }, 'hub_ack', 200), /channel holds/);
  s.needs_sync = true;                                    // after an import the hub's consumed is taken
  assert.ok(W.checkFigures(s, { authorised: 900, consumed: 900 }, 'hub_ack', 200));
  s.needs_sync = false;
  s.shared = true;                                        // and in a wallet another copy may spend
  assert.ok(W.checkFigures(s, { authorised: 900, consumed: 900 }, 'hub_ack', 200));
  assert.throws(() => W.checkFigures(s, { authorised: 10001, consumed: 900 }, 'hub_ack', 200), /channel holds/);
});

test('hub fee is fee_drops + price × bps / 10000, in integers', () => {
  assert.equal(W.hubFee({ fee_drops: 10, fee_bps: 250 }, 1999), 10 + 49);
  assert.throws(() => W.hubFee({ fee_drops: 0, fee_bps: 0 }, -1));
});

test('the hub charges no fee on its own listings, the configured fee on every other platform\'s', () => {
  const hub = { fee_drops: 10, fee_bps: 250, peer_id: '12D3KooWHub' };
  assert.equal(W.hubFee(hub, 1999, '12D3KooWHub'), 0);
  assert.equal(W.hubFee(hub, 1999, '12D3KooWOther'), 10 + 49);
  assert.equal(W.hubFee({ fee_drops: 10, fee_bps: 0 }, 1999, '12D3KooWHub'), 10); // no peer id known: no exception
});

test('claims only move up: credit covers, a held signature is re-sent, a new one is above every signed', () => {
  const s = W.newState();
  s.channel = { id: 'AA'.repeat(32), amount: 10000 };
  let c = W.claimFor(s, 300);
  assert.equal(c.sign, 300);
  W.recordSigned(s, 300, 'SIG300');
  assert.throws(() => W.recordSigned(s, 300, 'again'));
  W.raiseFromHub(s, { authorised: 300, consumed: 0 });   // credited: the value stays as credit
  c = W.claimFor(s, 300);
  assert.equal(c.claim, null);                            // no new claim for it
  W.raiseFromHub(s, { authorised: 300, consumed: 300 });
  c = W.claimFor(s, 200);
  assert.equal(c.sign, 500);
  c = W.claimFor(s, 200, 700);                            // the hub's needed_claim raises it
  assert.equal(c.sign, 700);
  c = W.claimFor(s, 20000);
  assert.equal(c.refused, 'top_up');
});

test('export is the CLI format; import restores the key and marks the state to sync; hostile files refused',
    async () => {
  const s = W.newState();
  s.signed_max = 42;
  const file = await W.exportFile(ENTROPY, s, 'correct horse');
  const o = JSON.parse(file);
  assert.equal(o.format, 'fedsearch-wallet-export');
  assert.equal(o.key.n, 32768);
  assert.equal(Buffer.from(o.key.ciphertext, 'base64').length, 12 + 16 + 16);
  assert.ok(!file.includes(W.hex(ENTROPY)));
  const back = await W.importFile(file, 'correct horse');
  assert.deepEqual(Array.from(back.entropy), Array.from(ENTROPY));
  assert.equal(back.state.signed_max, 42);
  assert.equal(back.state.needs_sync, true);
  await assert.rejects(W.importFile(file, 'wrong horse!'), /wrong passphrase/);
  const moved = Object.assign({}, o, { address: 'rDx69ebzbowuqztksVDmZXjizTd12BVr4x' });
  await assert.rejects(W.importFile(JSON.stringify(moved), 'correct horse'), /wrong passphrase|altered/);
  const greedy = structuredClone(o);
  greedy.key.n = 1 << 24;
  await assert.rejects(W.importFile(JSON.stringify(greedy), 'correct horse'), /out of bounds/);
  greedy.key.n = 1 << 20; greedy.key.r = 16; // within the CLI's bounds, but 2 GiB of scrypt memory in a tab
  await assert.rejects(W.importFile(JSON.stringify(greedy), 'correct horse'), /out of bounds/);
  greedy.key.n = 1 << 15; greedy.key.r = '8'; // types are checked too
  await assert.rejects(W.importFile(JSON.stringify(greedy), 'correct horse'), /out of bounds/);
  await assert.rejects(W.exportFile(ENTROPY, s, 'short'), /8 characters/);
});

test('merge takes the higher of every money field and refuses another channel', () => {
  const a = W.newState();
  a.channel = { id: 'AA'.repeat(32), amount: 10 };
  const b = W.newState();
  b.channel = { id: 'AA'.repeat(32), amount: 10 };
  b.signed_max = 9; b.signature_amount = 9; b.signed_signature = 'S9'; b.claims = [{ amount: 9, signature: 'S9' }];
  W.merge(a, b);
  assert.equal(a.signed_max, 9);
  assert.equal(a.signed_signature, 'S9');
  b.channel = { id: 'BB'.repeat(32) };
  assert.throws(() => W.merge(a, b), /channel/);
});

test('receipt keys differ per platform and are RFC 8032 keys of HKDF-SHA256(entropy, salt, peer id)', async () => {
  const one = W.receiptKey(ENTROPY, '12D3KooWA');
  assert.notEqual(one, W.receiptKey(ENTROPY, '12D3KooWB'));
  const { hkdfSync } = await import('node:crypto');
  const seed = Buffer.from(hkdfSync('sha256', ENTROPY, 'fedsearch-receipt-key-v1', '12D3KooWA', 32));
  const { createPrivateKey, createPublicKey } = await import('node:crypto');
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }))
      .export({ format: 'der', type: 'spki' });
  assert.equal(one, spki.subarray(12).toString('hex'));
});

test('statements: the signed bytes are @ipld/dag-cbor\'s; a forged, foreign or inflated statement is refused',
    async () => {
  const cbor = await import(createRequire(path.join(here, '../../../../../indexer/index/src/test/js/cid/package.json'))
      .resolve('@ipld/dag-cbor'));
  const fields = { request_id: 'ab'.repeat(16), channel: 'CD'.repeat(32), authorised: 5000, consumed: 4200,
    credit: 800, cid: 'bafyreigh2akiscaildc', platform: '12D3KooWPlatform', cost: 4200, at: 1765000000123 };
  assert.deepEqual(Buffer.from(W.dagCbor(fields)), Buffer.from(cbor.encode(fields)));
  const X = globalThis.FedsearchXrpl;
  const hubSecret = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);
  const hubKey = W.hex(X.ed25519.getPublicKey(hubSecret));
  const sign = (f, domain = 'fedsearch/hub-ack/v1\n') => Object.assign({ kind: 'hub_ack', public_key: hubKey,
    signature: W.hex(X.ed25519.sign(Buffer.concat([Buffer.from(domain), W.dagCbor(f)]), hubSecret)) }, f);
  const good = sign(fields);
  assert.equal(W.checkStatement(good, 'hub_ack', hubKey, fields.request_id, fields.channel, 5000, false), good);
  assert.throws(() => W.checkStatement(Object.assign({}, good, { consumed: 1 }), 'hub_ack', hubKey,
      fields.request_id, fields.channel, 5000, false), /signature/);
  assert.throws(() => W.checkStatement(sign(fields, 'fedsearch/credit-note/v1\n'), 'hub_ack', hubKey,
      fields.request_id, fields.channel, 5000, false), /signature/);
  assert.throws(() => W.checkStatement(good, 'hub_ack', 'ee'.repeat(32), fields.request_id, fields.channel, 5000,
      false), /not signed by this hub/);
  assert.throws(() => W.checkStatement(good, 'hub_ack', hubKey, 'cd'.repeat(16), fields.channel, 5000, false),
      /another request/);
  assert.throws(() => W.checkStatement(good, 'hub_ack', hubKey, fields.request_id, fields.channel, 4999, false),
      /this wallet signed 4999/);
});

test('a receipt is checked: platform signature under the peer id\'s key, work, price, holder; tampering refused',
    async () => {
  const req = createRequire(path.join(here, '../../../../../indexer/index/src/test/js/cid/package.json'));
  const cbor = await import(req.resolve('@ipld/dag-cbor'));
  const { CID } = await import(req.resolve('multiformats/cid'));
  const { sha256 } = await import(req.resolve('multiformats/hashes/sha2'));
  vm.runInThisContext(fs.readFileSync(path.join(ui, 'wallet-receipt.js'), 'utf8'));
  const R = globalThis.FedsearchWalletReceipt;
  const X = globalThis.FedsearchXrpl;
  const secret = Uint8Array.from({ length: 32 }, (_, i) => i * 3);
  const pub = X.ed25519.getPublicKey(secret);
  const peer = X.base58.encode(Uint8Array.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...pub]));
  const cid = CID.create(1, 0x71, await sha256.digest(new TextEncoder().encode('a work')));
  const holder = W.receiptKey(ENTROPY, peer);
  const make = (over = {}, signer = secret) => {
    const r = Object.assign({ v: 1, sale: 7, cid, price: 1500000, channel: new Uint8Array(32).fill(1), claim: 1516000,
      token: new Uint8Array(16).fill(2), node: new Uint8Array(32).fill(3), platform: pub, at: 1765000000000,
      holder: Buffer.from(holder, 'hex') }, over);
    Object.keys(r).filter((k) => r[k] === undefined).forEach((k) => delete r[k]);
    const s = X.ed25519.sign(Buffer.concat([Buffer.from('fedsearch/receipt/v1\n'), cbor.encode(r)]), signer);
    return Buffer.from(cbor.encode({ r, s })).toString('base64url');
  };
  const purchase = { cid: cid.toString(), platform: peer, price: 1500000, receipt_key: holder };
  assert.equal(R.check(make(), purchase).sale, 7);
  assert.throws(() => R.check(make({ price: 1 }), purchase), /another price/);
  assert.throws(() => R.check(make({ holder: new Uint8Array(32) }), purchase), /another holder/);
  const otherCid = CID.create(1, 0x71, await sha256.digest(new TextEncoder().encode('other'))).toString();
  assert.throws(() => R.check(make(), Object.assign({}, purchase, { cid: otherCid })), /another work/);
  const other = X.ed25519.getPublicKey(new Uint8Array(32).fill(9));
  assert.throws(() => R.check(make({ platform: other }, new Uint8Array(32).fill(9)), purchase), /another node/);
  assert.throws(() => R.check(make({}, new Uint8Array(32).fill(9)), purchase), /does not verify/);
  const wire = Buffer.from(make(), 'base64url');
  wire[wire.length - 1] ^= 1;
  assert.throws(() => R.check(wire.toString('base64url'), purchase), /does not verify/);
  assert.throws(() => R.check(make({ holder: undefined }), purchase), /no holder/);
  assert.throws(() => R.check('A'.repeat(3000), purchase), /too long/);
});
