/**
 * Noise XX ({@code Noise_XX_25519_ChaChaPoly_SHA256}) with the libp2p handshake payload, and the transport phase.
 *
 * <p>Primitives come from libraries: X25519 and ChaCha20-Poly1305 with explicit nonces from Tink (the JCE-backed
 * variant when available), SHA-256 and HMAC-SHA256 from the JDK, Ed25519 through {@code NodeKey} /
 * {@code NodePublicKey}. The handshake state machine, the HKDF of the Noise spec and the framing are written here.
 * The protocol name is exactly 32 bytes, so it is the initial hash itself; the prologue is empty. Handshake and
 * transport messages are framed {@code uint16_be(len) || msg}; transport plaintexts are at most 65519 bytes.
 */
package io.fedsearch.federation.p2p.crypto;
