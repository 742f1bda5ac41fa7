// fedsearch browser wallet: where it lives. One IndexedDB record per browser profile and node origin:
//   {v, address, public_key, aes: CryptoKey, sealed: {iv, ct}, state, created_at}
// The seed entropy is stored only sealed with AES-256-GCM under a non-extractable Web Crypto key (`aes`), so no
// script can read the key bytes out and the entropy is in memory only while a signature is made. `save` resolves
// only once IndexedDB committed the transaction (durability "strict"): the wallet sends a claim only after the
// state that records it is stored, so a reload never signs the same amount twice. `exclusive` makes tabs take turns.
(function (global) {
  'use strict';
  const W = global.FedsearchWalletCore;
  const DB = 'fedsearch-wallet';
  const STORE = 'wallet';
  const ID = 'main';
  const subtle = global.crypto.subtle;
  const enc = new TextEncoder();

  function open() {
    return new Promise((resolve, reject) => {
      const req = global.indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  async function load() {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const req = db.transaction(STORE, 'readonly').objectStore(STORE).get(ID);
        req.onsuccess = () => resolve(req.result || null);
        req.onerror = () => reject(req.error);
      });
    } finally {
      db.close();
    }
  }

  async function save(record) {
    const db = await open();
    try {
      await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
        tx.objectStore(STORE).put(record, ID);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error || new Error('the wallet could not be stored'));
      });
    } finally {
      db.close();
    }
  }

  async function seal(aes, entropy, address) {
    const iv = global.crypto.getRandomValues(new Uint8Array(12));
    const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(address) },
        aes, entropy));
    return { iv, ct };
  }

  /** A new record for `entropy` (fresh, or from an import) with `state`; not stored yet. */
  async function recordFor(entropy, state) {
    const key = W.keyOf(entropy);
    const aes = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    return { v: 1, address: key.address, public_key: key.publicKey, aes,
      sealed: await seal(aes, entropy, key.address), state, created_at: new Date().toISOString() };
  }

  /** Runs fn(key, entropy) with the unsealed key; the entropy is wiped when fn returns. */
  async function withKey(record, fn) {
    const entropy = new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: record.sealed.iv,
      additionalData: enc.encode(record.address) }, record.aes, record.sealed.ct));
    try {
      const key = W.keyOf(entropy);
      if (key.address !== record.address) throw new Error('the stored key does not match the wallet address');
      return await fn(key, entropy);
    } finally {
      entropy.fill(0);
    }
  }

  async function remove() {
    const db = await open();
    try {
      await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
        tx.objectStore(STORE).delete(ID);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  /**
   * Runs fn() while holding the wallet's Web Lock, shared by every tab of this origin: an operation that reads the
   * state, signs and writes it back (buy, open, top up, close, import, recovery) never overlaps another, so no tab
   * signs from a copy another tab is changing, nor writes over another's receipt. Callers load the record inside fn.
   */
  function exclusive(fn) {
    if (global.navigator && global.navigator.locks) {
      return global.navigator.locks.request('fedsearch-wallet', { mode: 'exclusive' }, () => fn());
    }
    return fn(); // no Web Locks (not a browser, or a very old one): one tab at a time is up to the user
  }

  global.FedsearchWalletStore = Object.freeze({ load, save, recordFor, withKey, remove, exclusive });
})(globalThis);
