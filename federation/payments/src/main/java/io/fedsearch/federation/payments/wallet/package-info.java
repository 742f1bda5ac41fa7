/**
 * The node's XRPL account key. The seed entropy is encrypted with a Tink AEAD keyset and both files are mode 600;
 * the private key exists only inside {@link io.fedsearch.federation.payments.wallet.XrplAccountKey}, which signs
 * claims and transactions and hands out the address and public key.
 */
package io.fedsearch.federation.payments.wallet;
