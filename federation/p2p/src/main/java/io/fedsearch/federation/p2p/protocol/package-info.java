/**
 * Application protocols on streams: identify ({@code /ipfs/id/1.0.0}) and identify/push
 * ({@code /ipfs/id/push/1.0.0}), ping ({@code /ipfs/ping/1.0.0}), a
 * length-prefixed request/response helper for fedsearch's own protocols, and the probe behind
 * {@code fedsearch p2p ping}.
 */
package io.fedsearch.federation.p2p.protocol;
