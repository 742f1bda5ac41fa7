// Independent checks of what fedsearch's Java payments code produced, with xrpl.js (npm `xrpl`, pinned in
// package.json / package-lock.json). Reads JSON lines on stdin, writes one JSON line per input line:
//   {"kind":"claim","channel":HEX,"amount":DROPS,"signature":HEX,"public_key":HEX}  -> {"ok":bool}
//   {"kind":"tx","blob":HEX}                                                    -> {"ok":bool,"hash":HEX,"type":..}
//   {"kind":"channel_id","source":ADDR,"destination":ADDR,"sequence":N}         -> {"id":HEX}
//   {"kind":"sign_claim","seed":BASE58,"channel":HEX,"amount":DROPS}            -> {"signature":HEX,"public_key":HEX}
// One node process per test class: start-up costs ~0.5 s.
import { createInterface } from 'node:readline';
import { verifyPaymentChannelClaim, verifySignature, dropsToXrp, hashes, decode, Wallet, signPaymentChannelClaim } from 'xrpl';

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  let out;
  try {
    const m = JSON.parse(line);
    switch (m.kind) {
      case 'claim':
        out = { ok: verifyPaymentChannelClaim(m.channel, String(dropsToXrp(String(m.amount))), m.signature, m.public_key) };
        break;
      case 'tx': {
        const tx = decode(m.blob);
        out = { ok: verifySignature(m.blob), hash: hashes.hashSignedTx(m.blob), type: tx.TransactionType,
                account: tx.Account, sequence: tx.Sequence, fee: tx.Fee, last_ledger: tx.LastLedgerSequence ?? null };
        break;
      }
      case 'channel_id':
        out = { id: hashes.hashPaymentChannel(m.source, m.destination, m.sequence).toUpperCase() };
        break;
      case 'sign_claim': {
        const w = Wallet.fromSeed(m.seed);
        out = { signature: signPaymentChannelClaim(m.channel, String(dropsToXrp(String(m.amount))), w.privateKey),
                public_key: w.publicKey };
        break;
      }
      default:
        out = { error: 'unknown kind ' + m.kind };
    }
  } catch (e) {
    out = { ok: false, error: String(e && e.message || e) };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}
