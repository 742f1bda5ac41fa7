/**
 * Channel vocabulary shared by both sides: {@link io.fedsearch.federation.payments.channel.Claim} (cumulative,
 * signed), {@link io.fedsearch.federation.payments.channel.ChannelTerms}, the ledger's channel id, decoding of signed
 * blobs presented by peers, and {@link io.fedsearch.federation.payments.channel.ClaimVerifier}: offline verification
 * of the ledger's claim message {@code CLM\0 ‖ channel ‖ UInt64 drops} (ed25519 signs it as is, secp256k1 its
 * SHA512Half with a low-S DER signature), which xrpl4j 4.0.3 does not offer.
 */
package io.fedsearch.federation.payments.channel;
