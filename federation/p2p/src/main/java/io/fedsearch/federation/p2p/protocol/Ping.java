package io.fedsearch.federation.p2p.protocol;

import io.fedsearch.federation.p2p.Connection;
import io.fedsearch.federation.p2p.Stream;
import java.io.EOFException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;

/** {@code /ipfs/ping/1.0.0}: the initiator sends 32 random bytes, the responder echoes them. */
public final class Ping {
  public static final String PROTOCOL = "/ipfs/ping/1.0.0";
  private static final int SIZE = 32;
  /** A responder stops echoing after this long (js aborts its side after 10 s too). */
  private static final Duration SERVE_LIMIT = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ping() {}

  /** Pings {@code count} times on one stream; returns each round trip. */
  public static Duration[] ping(Connection connection, int count, Duration timeout) throws IOException {
    Duration[] rtts = new Duration[count];
    try (Stream s = connection.newStream(PROTOCOL)) {
      s.setReadTimeout(timeout);
      byte[] payload = new byte[SIZE];
      for (int i = 0; i < count; i++) {
        RANDOM.nextBytes(payload);
        long t0 = System.nanoTime();
        s.out().write(payload);
        byte[] echo = s.in().readNBytes(SIZE);
        rtts[i] = Duration.ofNanos(System.nanoTime() - t0);
        if (!Arrays.equals(payload, echo)) {
          s.reset();
          throw new IOException("ping: remote echoed different bytes");
        }
      }
    }
    return rtts;
  }

  /** The responder: echo 32-byte payloads until the initiator closes. */
  public static void serve(Stream s) throws IOException {
    s.setReadTimeout(Duration.ofSeconds(30));
    long deadline = System.nanoTime() + SERVE_LIMIT.toNanos();
    byte[] buf = new byte[SIZE];
    while (System.nanoTime() < deadline) {
      int n = s.in().readNBytes(buf, 0, SIZE);
      if (n == 0) {
        return;
      }
      if (n != SIZE) {
        throw new EOFException("ping: partial payload");
      }
      s.out().write(buf);
    }
  }
}
