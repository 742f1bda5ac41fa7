package io.fedsearch.federation.p2p;

import java.time.Duration;

/**
 * Resource limits of a {@link Host}. Anything a remote sends beyond them closes that stream or connection with a
 * logged reason.
 *
 * @param dialTimeout TCP connect plus upgrade, for outbound connections
 * @param handshakeTimeout the whole inbound or outbound upgrade (mss, Noise, muxer selection)
 * @param negotiationTimeout multistream-select on a new stream
 * @param maxConnections open connections per host, inbound and outbound together
 * @param maxConnectionsPerIp open inbound connections from one remote IP
 * @param inboundPerIpPerSecond new inbound connections accepted per remote IP per second
 * @param maxPendingUpgrades inbound connections in the handshake at once
 * @param maxStreamsPerConnection open yamux streams per connection (each direction counts)
 * @param maxStreamWindow largest per-stream receive window the auto-tuning may grow to (bounds buffered bytes)
 * @param keepaliveInterval how often each connection sends a yamux ping; one left unanswered for a whole interval
 *     closes the connection
 * @param writeTimeout longest a write may wait for the connection's write lock or sit in the socket: a peer that
 *     stops reading (its receive window full) has its connection closed after this long
 */
public record Limits(Duration dialTimeout, Duration handshakeTimeout, Duration negotiationTimeout,
    int maxConnections, int maxConnectionsPerIp, int inboundPerIpPerSecond, int maxPendingUpgrades,
    int maxStreamsPerConnection, long maxStreamWindow, Duration keepaliveInterval, Duration writeTimeout) {

  public static Limits defaults() {
    return new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), 300, 32, 10, 32, 512,
        16L * 1024 * 1024, Duration.ofSeconds(15), Duration.ofSeconds(10));
  }

  public Limits withInboundPerIpPerSecond(int n) {
    return new Limits(dialTimeout, handshakeTimeout, negotiationTimeout, maxConnections, maxConnectionsPerIp, n,
        maxPendingUpgrades, maxStreamsPerConnection, maxStreamWindow, keepaliveInterval, writeTimeout);
  }

  public Limits withMaxConnections(int total, int perIp) {
    return new Limits(dialTimeout, handshakeTimeout, negotiationTimeout, total, perIp, inboundPerIpPerSecond,
        maxPendingUpgrades, maxStreamsPerConnection, maxStreamWindow, keepaliveInterval, writeTimeout);
  }

  public Limits withMaxStreamsPerConnection(int n) {
    return new Limits(dialTimeout, handshakeTimeout, negotiationTimeout, maxConnections, maxConnectionsPerIp,
        inboundPerIpPerSecond, maxPendingUpgrades, n, maxStreamWindow, keepaliveInterval, writeTimeout);
  }

  public Limits withTimeouts(Duration dial, Duration handshake, Duration negotiation) {
    return new Limits(dial, handshake, negotiation, maxConnections, maxConnectionsPerIp, inboundPerIpPerSecond,
        maxPendingUpgrades, maxStreamsPerConnection, maxStreamWindow, keepaliveInterval, writeTimeout);
  }

  public Limits withKeepaliveInterval(Duration interval) {
    return new Limits(dialTimeout, handshakeTimeout, negotiationTimeout, maxConnections, maxConnectionsPerIp,
        inboundPerIpPerSecond, maxPendingUpgrades, maxStreamsPerConnection, maxStreamWindow, interval, writeTimeout);
  }

  public Limits withWriteTimeout(Duration timeout) {
    return new Limits(dialTimeout, handshakeTimeout, negotiationTimeout, maxConnections, maxConnectionsPerIp,
        inboundPerIpPerSecond, maxPendingUpgrades, maxStreamsPerConnection, maxStreamWindow, keepaliveInterval,
        timeout);
  }
}
