/**
 * Yamux ({@code /yamux/1.0.0}): 12-byte headers, Data / WindowUpdate / Ping / GoAway frames, SYN / ACK / FIN / RST
 * flags, per-stream flow control without a session window. Follows js-libp2p's behaviour where the spec leaves room:
 * FIN and RST are honoured on WindowUpdate frames too, ping flags must be exactly SYN or ACK, a GoAway ends the
 * session, windows grow (doubling up to the host's maximum) when a reader consumes half a window within four RTTs (or 5 ms).
 */
package io.fedsearch.federation.p2p.mux;
