// The XRPL encoding and key functions the browser wallet (ui/wallet.js) needs, from the XRPL project's own
// JavaScript libraries, exposed as one global (`FedsearchXrpl`) so the page's plain scripts can use them under a
// CSP without modules or eval. Only what the wallet calls is exported, which keeps the bundle small.
import { encode, decode, encodeForSigning, encodeForSigningClaim } from 'ripple-binary-codec';
import { deriveKeypair, deriveAddress, sign, verify } from 'ripple-keypairs';
import { encodeSeed, decodeAccountID, isValidClassicAddress } from 'ripple-address-codec';
import { sha512 } from '@noble/hashes/sha2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base58, base32nopad, base64urlnopad } from '@scure/base';

globalThis.FedsearchXrpl = Object.freeze({
  encode, decode, encodeForSigning, encodeForSigningClaim,
  deriveKeypair, deriveAddress, sign, verify,
  encodeSeed, decodeAccountID, isValidClassicAddress,
  sha512, sha256, hkdf, scryptAsync, base58, base32nopad, base64urlnopad,
  ed25519: Object.freeze({ getPublicKey: ed25519.getPublicKey, sign: ed25519.sign, verify: ed25519.verify }),
});
